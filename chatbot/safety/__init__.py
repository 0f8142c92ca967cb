"""Messages that signal a risk to life or a safeguarding concern: detection and replies."""

from chatbot.safety.categories import CATEGORIES, LABELS
from chatbot.safety.detector import UrgentDetector, UrgentResult, safety_net

__all__ = ["CATEGORIES", "LABELS", "UrgentDetector", "UrgentResult", "safety_net"]
