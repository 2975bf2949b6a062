"""``python -m curso_llm preparar``: construye de antemano todos los recursos locales."""

from __future__ import annotations

import time


def preparar(progreso: bool = True) -> list[tuple[str, str, float, str]]:
    """Construye (o encuentra en caché) cada recurso local; devuelve ``(nombre, tipo, segundos, dónde)``."""
    from .modo import aplicar_modo
    from .recursos import CONJUNTOS, MODELOS

    aplicar_modo("local")
    filas = []
    for recurso in [*CONJUNTOS.values(), *MODELOS.values()]:
        if recurso.local is None:
            continue
        inicio = time.perf_counter()
        resultado = recurso.local()
        segundos = time.perf_counter() - inicio
        if recurso.tipo == "modelo":
            donde = str(resultado)
        else:
            donde = ", ".join(f"{parte}: {ds.num_rows} filas" for parte, ds in resultado.items())
        filas.append((recurso.nombre, recurso.tipo, segundos, donde))
    return filas


def imprimir_preparacion() -> int:
    print("Preparando los recursos locales del curso (la primera vez entrena los modelos en tu CPU)…")
    inicio = time.perf_counter()
    filas = preparar()
    print("\nResumen:")
    for nombre, tipo, segundos, donde in filas:
        print(f"  [OK] {nombre:<13} {tipo:<9} {segundos:7.1f} s  {donde}")
    print(f"Listo en {time.perf_counter() - inicio:.0f} s. Las próximas veces se cargan desde la caché al instante.")
    return 0
