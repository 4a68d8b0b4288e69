"""pvkit's content: the model (stdlib dataclasses), the JSON bundle and, at build time, validation."""
