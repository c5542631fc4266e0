"""What a mailbox's domain publishes for deliverability: MX, SPF, DMARC and DKIM, looked up
side by side through the product's resolver (DNS_NAMESERVERS, else the system's).

Each answer is one of three: the record holds (`ok` true), it is missing or wrong (`ok`
false: NXDOMAIN, no record, SPF passing everyone, a null MX), or no answer came (`ok` null).
Every domain is asked, special-use ones (`.test`) included. DNS findings feed the score only:
they never change an inbox's status or its failure count.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sender_accounts.adapters.ports import DnsRecords
from sender_accounts.health.factors import Factor

NO_ANSWER = "No answer from the DNS resolver"
# DKIM selectors the providers publish their keys under.
PROVIDER_SELECTORS = {
    "GOOGLE_WORKSPACE": ("google",),
    "OUTLOOK_365": ("selector1", "selector2"),
}


@dataclass(frozen=True)
class DnsFindings:
    domain: str
    factors: tuple[Factor, ...]

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"domain": self.domain}
        for factor in self.factors:
            found[factor.factor.lower()] = {"ok": factor.ok, "detail": factor.detail}
        return found


def selectors_for(inbox_type: str, settings: dict[str, Any]) -> tuple[str, ...]:
    chosen = settings.get("dkim_selector")
    if chosen:
        return (str(chosen),)
    return PROVIDER_SELECTORS.get(inbox_type, ())


def mx_factor(records: list[str] | None) -> Factor:
    if records is None:
        return Factor("MX", None, NO_ANSWER)
    hosts = [r.split()[-1] for r in records if r.split()]
    if not hosts or hosts == ["."]:
        return Factor("MX", False, "No MX record: the domain receives no mail")
    return Factor("MX", True, f"MX: {', '.join(sorted(hosts)[:3])}")


def spf_factor(records: list[str] | None) -> Factor:
    if records is None:
        return Factor("SPF", None, NO_ANSWER)
    spf = [r for r in records if r.lower().startswith("v=spf1")]
    if not spf:
        return Factor("SPF", False, "No SPF record")
    if len(spf) > 1:
        return Factor("SPF", False, "More than one SPF record (receivers treat it as none)")
    terms = spf[0].lower().split()
    if "all" in terms or "+all" in terms:
        return Factor("SPF", False, "SPF passes every sender (+all)")
    return Factor("SPF", True, spf[0][:200])


def dmarc_factor(records: list[str] | None) -> Factor:
    if records is None:
        return Factor("DMARC", None, NO_ANSWER)
    dmarc = [r for r in records if r.replace(" ", "").lower().startswith("v=dmarc1")]
    if not dmarc:
        return Factor("DMARC", False, "No DMARC record")
    tags = dict(part.strip().split("=", 1) for part in dmarc[0].split(";") if "=" in part.strip())
    return Factor("DMARC", True, f"DMARC policy {tags.get('p', 'none').strip()}")


def dkim_factor(selectors: tuple[str, ...], answers: list[list[str] | None]) -> Factor:
    if not selectors:
        return Factor("DKIM", None, "No DKIM selector known for this provider: set dkim_selector")
    for selector, records in zip(selectors, answers, strict=True):
        if records and any("p=" in r.replace(" ", "") for r in records):
            return Factor("DKIM", True, f"DKIM key at selector {selector}")
    if any(records is None for records in answers):
        return Factor("DKIM", None, NO_ANSWER)
    return Factor("DKIM", False, f"No DKIM key at selector {', '.join(selectors)}")


async def inspect_domain(
    lookup: DnsRecords, domain: str, selectors: tuple[str, ...], with_dkim: bool = True
) -> DnsFindings:
    """The domain's DNS factors, its lookups run concurrently."""
    names = [(domain, "MX"), (domain, "TXT"), (f"_dmarc.{domain}", "TXT")]
    if with_dkim:
        names += [(f"{s}._domainkey.{domain}", "TXT") for s in selectors]
    answers = await asyncio.gather(
        *(asyncio.to_thread(lookup.records, name, rdtype) for name, rdtype in names)
    )
    factors = [mx_factor(answers[0]), spf_factor(answers[1]), dmarc_factor(answers[2])]
    if with_dkim:
        factors.append(dkim_factor(selectors, list(answers[3:])))
    return DnsFindings(domain, tuple(factors))
