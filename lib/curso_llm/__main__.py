"""Línea de órdenes: ``python -m curso_llm <orden>``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

PROGRAMA = "python -m curso_llm"
#: Las órdenes y lo que hacen (la ayuda y los errores las listan en este orden).
ORDENES = {
    "diagnostico": "comprueba tu entorno contra requirements.txt",
    "recursos": "lista los modelos y conjuntos del curso en el modo actual",
    "preparar": "construye de antemano los modelos y datos locales (sin red)",
}


class _Formato(argparse.HelpFormatter):
    """La ayuda de argparse con sus encabezados en español."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="uso: " if prefix is None else prefix)


class _Analizador(argparse.ArgumentParser):
    """``argparse`` escribe sus errores en inglés: aquí se dicen en español y con qué hacer."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formato)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "órdenes"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--ayuda", "--help", action="help", default=argparse.SUPPRESS,
                          help="muestra esta ayuda y termina")

    def error(self, message: str):
        sys.stderr.write(f"{self.prog}: {_en_espanol(message)}\n")
        self.exit(2)


def _lista_de_ordenes() -> str:
    return ", ".join(ORDENES)


def _en_espanol(mensaje: str) -> str:
    """Traduce los errores de ``argparse`` (que llegan en inglés) y añade qué hacer."""
    if coincidencia := re.search(r"invalid choice: '?([^'(]*?)'? \(choose from", mensaje):
        return (f"no conozco la orden '{coincidencia.group(1)}'. Las órdenes son: {_lista_de_ordenes()}. "
                f"Por ejemplo: {PROGRAMA} diagnostico")
    if coincidencia := re.search(r"unrecognized arguments: (.*)", mensaje):
        return (f"no entiendo {coincidencia.group(1)}. Mira las opciones de cada orden con "
                f"{PROGRAMA} <orden> --ayuda")
    if coincidencia := re.search(r"argument (\S+): expected one argument", mensaje):
        return f"a la opción {coincidencia.group(1)} le falta su valor, por ejemplo: {coincidencia.group(1)} requirements.txt"
    return f"no entiendo la orden. Mira la ayuda con {PROGRAMA} --ayuda"


def main(argv: list[str] | None = None) -> int:
    analizador = _Analizador(prog=PROGRAMA, description="Herramientas del curso «LLMs sin barreras».")
    ordenes = analizador.add_subparsers(dest="orden", metavar="orden", title="órdenes")
    diag = ordenes.add_parser("diagnostico", help=ORDENES["diagnostico"], description=ORDENES["diagnostico"])
    diag.add_argument("--requisitos", type=Path, default=None, metavar="RUTA", help="ruta a requirements.txt")
    ordenes.add_parser("recursos", help=ORDENES["recursos"], description=ORDENES["recursos"])
    ordenes.add_parser("preparar", help=ORDENES["preparar"], description=ORDENES["preparar"])
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
    sys.stderr.write(f"{PROGRAMA}: falta la orden. Escribe una de estas: {_lista_de_ordenes()}. "
                     f"Por ejemplo: {PROGRAMA} diagnostico\n\n")
    analizador.print_help(sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
