"""The public web form: clients write to the desk without an account (page, embed, spam and
rate limits)."""
