from .cli import principal

principal()
