"""Lo que hace la segunda celda de cada capítulo."""

from __future__ import annotations

import os
import random
import warnings

from .modo import aplicar_modo, describir_modo


def fijar_semillas(semilla: int = 42) -> None:
    """Fija las semillas de ``random``, NumPy y PyTorch (si están instalados)."""
    if not isinstance(semilla, int) or isinstance(semilla, bool) or semilla < 0:
        from .errores import ErrorCurso

        raise ErrorCurso(f"La semilla debe ser un entero no negativo, por ejemplo 42; recibí {semilla!r}.")
    random.seed(semilla)
    os.environ["PYTHONHASHSEED"] = str(semilla)
    try:
        import numpy

        numpy.random.seed(semilla)
    except ImportError:
        pass
    try:
        import torch

        torch.manual_seed(semilla)
    except ImportError:
        pass


def iniciar_capitulo(semilla: int = 42) -> None:
    """Prepara un capítulo: modo, semillas y bibliotecas sin ruido.

    - Imprime en qué modo estás (``local`` o ``hub``) y cómo cambiarlo.
    - Fija las semillas: lo que se sortea (muestreo, pesos iniciales) sale igual cada vez que
      ejecutas el capítulo en orden. No promete los números del libro: en Colab los modelos
      son otros (los del Hub) y las salidas también.
    - Calla los avisos informativos de ``transformers`` (los errores se siguen viendo)
      y deja las barras de progreso, que en el libro no se muestran.
    """
    modo = aplicar_modo()
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    fijar_semillas(semilla)
    # Sin ipywidgets, tqdm avisa por stderr al importar transformers; las barras de texto bastan.
    warnings.filterwarnings("ignore", message="IProgress not found")
    try:
        import matplotlib

        matplotlib.rcParams.update({"figure.figsize": (7.5, 4.2), "figure.dpi": 110, "axes.grid": True,
                                    "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False})
    except ImportError:
        pass
    print(describir_modo(modo))
    print(f"Semilla fijada en {semilla}: el azar se repite igual cada vez que ejecutes las celdas en orden.")


def cifra(x, decimales: int = 0) -> str:
    """Un número escrito a la española: ``cifra(12345.6, 1)`` → ``"12 345,6"``."""
    return f"{float(x):,.{decimales}f}".replace(",", " ").replace(".", ",")


def pegar(nombre: str, valor, decimales: int = 0) -> None:
    """Guarda un resultado para que el texto del libro lo cite desde la salida real (``glue`` de myst-nb).

    Los números se guardan ya escritos a la española (con ``cifra``). Fuera del libro (en Colab, donde
    no está myst-nb) no hace nada: la cifra ya se ve en la salida de la celda.
    """
    try:
        from myst_nb import glue
    except ImportError:
        return
    glue(nombre, valor if isinstance(valor, str) else cifra(valor, decimales), display=False)
