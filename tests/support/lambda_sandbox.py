"""What Lambda does around a handler in a fresh process, as code for `python -c`: load the
module from its code folder (argv[1]), read the event (argv[2]), and build a context for the
function (argv[3]). The code that follows calls `module.lambda_handler(event, Context())`."""

LOAD_HANDLER = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)

class Context:
    function_name = sys.argv[3]
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + sys.argv[3]
    aws_request_id = "sandbox"
    def get_remaining_time_in_millis(self):
        return 20000

with open(sys.argv[2]) as sample:
    event = json.load(sample)
"""
