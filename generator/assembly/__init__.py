"""Pure assembly: data + clause library + date -> a numbered, resolved document, through a sandboxed Jinja."""
