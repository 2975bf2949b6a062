"""Diagramas del curso: SVG propios que viajan dentro del paquete (sitio y Colab)."""

from __future__ import annotations

from importlib import resources

from .errores import ErrorCurso


def diagramas_disponibles() -> list[str]:
    carpeta = resources.files("curso_llm") / "diagramas"
    return sorted(p.name[: -len(".svg")] for p in carpeta.iterdir() if p.name.endswith(".svg"))


def svg_diagrama(nombre: str) -> str:
    """El texto SVG del diagrama ``nombre``."""
    disponibles = diagramas_disponibles()
    if nombre not in disponibles:
        raise ErrorCurso(
            f"No encuentro el diagrama '{nombre}'. Los disponibles son: {', '.join(disponibles) or 'ninguno'}."
        )
    return (resources.files("curso_llm") / "diagramas" / f"{nombre}.svg").read_text(encoding="utf-8")


def mostrar_diagrama(nombre: str) -> None:
    """Muestra un diagrama del curso. El texto alternativo va en su ``<title>``/``<desc>``
    y, en el libro, en los metadatos de la celda (``mystnb.image.alt``)."""
    from IPython.display import SVG, display

    display(SVG(data=svg_diagrama(nombre)))
