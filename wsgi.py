"""What gunicorn serves: ``gunicorn wsgi:app``."""

from roleplay_api import create_app
from roleplay_api.services.coach import warm

app = create_app()
# The coach's model and embedder (about 60 MB, 0.1 s) load now, not on a trainee's first message.
warm(app.config)
