"""Línea de órdenes: ``python -m curso_llm <orden>``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    analizador = argparse.ArgumentParser(
        prog="python -m curso_llm", description="Herramientas del curso «LLMs sin barreras»."
    )
    ordenes = analizador.add_subparsers(dest="orden", metavar="orden")
    diag = ordenes.add_parser("diagnostico", help="comprueba tu entorno contra requirements.txt")
    diag.add_argument("--requisitos", type=Path, default=None, help="ruta a requirements.txt")
    ordenes.add_parser("recursos", help="lista los modelos y conjuntos del curso en el modo actual")
    ordenes.add_parser("preparar", help="construye de antemano los modelos y datos locales (sin red)")
    args = analizador.parse_args(argv)

    if args.orden == "diagnostico":
        from .diagnostico import imprimir_diagnostico

        return imprimir_diagnostico(args.requisitos)
    if args.orden == "recursos":
        from .recursos import describir_recursos

        print(describir_recursos())
        return 0
    if args.orden == "preparar":
        from .preparar import imprimir_preparacion

        return imprimir_preparacion()
    analizador.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
