"""Extensión de Sphinx del libro: la salida de texto de cada celda, igual en cada construcción.

El núcleo de Jupyter envía lo que imprime una celda en trozos, cuando salta su temporizador, y
los trozos caen distinto en cada ejecución. Con ``nb_merge_streams``, myst-nb los junta en un
bloque, pero a su manera: recorta el final de cada trozo y le añade un salto de línea. Si el
temporizador salta a mitad de un ``print("¿Cada fila suma 1?", True)``, la página muestra
«¿Cada fila suma 1?» y «True» en dos líneas; en la construcción siguiente, en una.

Aquí los trozos de cada flujo (stdout, stderr) se concatenan tal cual antes de que myst-nb haga
lo suyo, así que su unión ve un solo trozo por flujo: el texto es exactamente el que imprimió la
celda, lo partiera el núcleo como lo partiera. tests/test_estabilidad.py construye el libro dos
veces y compara los capítulos byte a byte.
"""

from __future__ import annotations

import copy

from myst_nb.core import render
from myst_nb.core.utils import coalesce_streams as unir_de_myst_nb


def unir_flujos(salidas: list) -> list:
    """Como ``coalesce_streams`` de myst-nb, pero sin depender de dónde cortó el núcleo cada trozo."""
    primeras: dict[str, dict] = {}
    unidas = []
    for salida in salidas:
        if salida["output_type"] == "stream":
            nombre = salida["name"]
            if nombre in primeras:
                primeras[nombre]["text"] += salida["text"]
                continue
            salida = copy.deepcopy(salida)  # no tocar el cuaderno que guarda la caché
            primeras[nombre] = salida
        unidas.append(salida)
    return unir_de_myst_nb(unidas)


def setup(app):
    # El renderizador de myst-nb llama a la función por este nombre al preparar cada celda.
    render.coalesce_streams = unir_flujos
    return {"parallel_read_safe": True, "parallel_write_safe": True}
