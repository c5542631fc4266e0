"""The words of warm-up mail: plain, innocent text (no links, images or tracking), varied so no
two days read alike, each body ending with the sender's warm-up key."""

from __future__ import annotations

import random

SUBJECTS = (
    "Quick question about next week",
    "Notes from our call",
    "Following up on Tuesday",
    "Catching up",
    "A thought on the plan",
    "Lunch on Thursday?",
    "The draft you mentioned",
    "Checking in",
    "Agenda for Monday",
    "Thanks for the help",
    "Small update",
    "Your recommendation",
    "Weekend plans",
    "About the schedule",
    "One more idea",
    "Coffee sometime?",
    "Re-reading the proposal",
    "Timeline question",
    "Book suggestion",
    "Travel next month",
)

OPENINGS = (
    "Hi there,",
    "Hello,",
    "Good morning,",
    "Hi,",
    "Hey,",
    "Good afternoon,",
)

BODIES = (
    "I wanted to check whether the time we talked about still works for you. If not, any "
    "other day this week is fine on my side.",
    "Thanks again for walking me through the plan yesterday. I wrote down the main points and "
    "will share my notes once I have tidied them up.",
    "I have been thinking about what you said about the schedule, and I agree that starting a "
    "little later gives everyone more room.",
    "Just a short note to say the changes look good to me. Let me know if anything else comes "
    "up before Friday.",
    "Could you tell me which of the two options you prefer? I am happy with either, so it is "
    "really your call.",
    "I finally read the book you recommended and enjoyed it a lot. The middle chapters were my "
    "favourite part.",
    "I am putting together the list for next week and wanted to make sure I have not missed "
    "anything you need.",
    "Hope your week is going well. I will be around most of Thursday if you want to talk "
    "things over.",
    "The meeting moved to the afternoon, so there is a bit more time to prepare. Nothing else "
    "changed.",
    "I tried the approach you suggested and it worked nicely. Thank you for the tip.",
    "Do you have a few minutes tomorrow? I would like to hear what you think about the next step.",
    "I put the summary together and it is shorter than I expected, which is probably a good sign.",
)

REPLIES = (
    "Thanks for the note, that works for me.",
    "Sounds good, talk soon.",
    "Great, thank you for letting me know.",
    "Thursday is perfect on my side.",
    "Happy to help, let me know how it goes.",
    "Agreed, let us keep it simple.",
    "Thanks! I will take a look later today.",
    "Good to hear, see you then.",
)

CLOSINGS = ("Best,", "Thanks,", "Cheers,", "Kind regards,", "All the best,")


def warmup_text(rng: random.Random, key: str) -> tuple[str, str]:
    """A subject and body for a warm-up email carrying `key`."""
    body = f"{rng.choice(OPENINGS)}\n\n{rng.choice(BODIES)}\n\n{rng.choice(CLOSINGS)}\n{key}\n"
    return rng.choice(SUBJECTS), body


def reply_text(rng: random.Random, subject: str, key: str) -> tuple[str, str]:
    """The subject and body of a reply to `subject`, carrying the replier's `key`."""
    threaded = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    return threaded, f"{rng.choice(REPLIES)}\n\n{rng.choice(CLOSINGS)}\n{key}\n"
