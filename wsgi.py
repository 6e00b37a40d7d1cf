"""What gunicorn serves: ``gunicorn wsgi:app``."""

from roleplay_api import create_app

app = create_app()
