"""Lo que la primera celda de cada capítulo hace en Colab después de instalar.

Colab ya trae importados algunos paquetes al arrancar (matplotlib, numpy, IPython…). Si la
instalación del curso cambió la versión de uno de ellos, el proceso de Python sigue usando la
versión vieja, ya cargada en memoria, y «Ejecutar todo» seguiría con módulos desfasados.
``revisar_reinicio()`` lo detecta comparando la versión cargada con la instalada y, si hace falta,
reinicia el entorno de ejecución (en Colab) o te dice que lo hagas tú.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata

#: Módulo importado → distribución de pip que lo instala.
_DISTRIBUCIONES = {
    "matplotlib": "matplotlib",
    "numpy": "numpy",
    "pandas": "pandas",
    "IPython": "ipython",
    "PIL": "pillow",
    "torch": "torch",
    "transformers": "transformers",
    "datasets": "datasets",
    "huggingface_hub": "huggingface_hub",
    "tokenizers": "tokenizers",
    "pyarrow": "pyarrow",
    "wandb": "wandb",
}


def paquetes_desfasados(modulos: dict | None = None) -> dict[str, tuple[str, str]]:
    """``{distribución: (versión cargada, versión instalada)}`` de los módulos ya importados
    cuya versión en disco cambió después de importarlos."""
    modulos = sys.modules if modulos is None else modulos
    cambios = {}
    for modulo, distribucion in _DISTRIBUCIONES.items():
        cargado = modulos.get(modulo)
        version_cargada = getattr(cargado, "__version__", None)
        if cargado is None or version_cargada is None:
            continue
        try:
            instalada = metadata.version(distribucion)
        except metadata.PackageNotFoundError:
            continue
        if instalada != str(version_cargada):
            cambios[distribucion] = (str(version_cargada), instalada)
    return cambios


def revisar_reinicio(reiniciar: bool = True) -> bool:
    """Tras ``%pip install``: si cambió un paquete ya importado, reinicia Colab (o pide hacerlo).

    Devuelve ``True`` si hace falta reiniciar. En Colab, con ``reiniciar=True``, termina el
    proceso: Colab lo vuelve a arrancar solo y basta con ejecutar de nuevo las celdas.
    """
    cambios = paquetes_desfasados()
    if not cambios:
        print("Instalación lista: no hace falta reiniciar.")
        return False
    lista = ", ".join(f"{d} {antes} → {despues}" for d, (antes, despues) in sorted(cambios.items()))
    print(
        f"La instalación actualizó paquetes que ya estaban cargados ({lista}). "
        "Hay que reiniciar el entorno de ejecución para usar las versiones nuevas."
    )
    if reiniciar and "google.colab" in sys.modules:
        print("Reinicio el entorno ahora. Cuando vuelva, ejecuta otra vez las celdas desde el principio "
              "(«Entorno de ejecución → Ejecutar todo»).", flush=True)
        os.kill(os.getpid(), 9)
    else:
        print("Reinícialo tú: «Entorno de ejecución → Reiniciar sesión», y ejecuta de nuevo desde el principio.")
    return True
