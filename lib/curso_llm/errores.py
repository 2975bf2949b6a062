"""Errores del curso: siempre en español y diciendo qué hacer."""


class ErrorCurso(Exception):
    """Base de todos los errores de ``curso_llm``."""


class ModoInvalido(ErrorCurso, ValueError):
    """El valor de ``CURSO_LLM_MODO`` no es ``local`` ni ``hub``."""


class RecursoDesconocido(ErrorCurso, KeyError):
    """Se pidió un modelo o conjunto de datos con un nombre que el curso no conoce."""

    def __str__(self) -> str:  # KeyError pondría el mensaje entre comillas
        return str(self.args[0]) if self.args else ""


class RecursoNoDisponible(ErrorCurso, RuntimeError):
    """El recurso existe, pero no se puede usar en el modo actual."""


class QuizInvalido(ErrorCurso, ValueError):
    """El quiz pedido no existe o su JSON no tiene la forma de jupyterquiz."""


class TokenInvalido(ErrorCurso, ValueError):
    """El token no tiene la forma esperada (el mensaje nunca incluye el token)."""


class HubNoDisponible(RecursoNoDisponible):
    """El Hugging Face Hub no respondió, no tiene el recurso o rechazó el token (el mensaje dice qué hacer)."""
