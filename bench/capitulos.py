"""¿Cuánto tarda cada capítulo de principio a fin en un núcleo nuevo? (objetivo: ≤ 3 min en 2 núcleos)

Uso:  .venv/bin/python bench/capitulos.py [--salida bench/capitulos.json] [capitulo ...]

Ejecuta cada capítulo del índice (o los que se nombren, p. ej. ``04``) con nbclient, en modo
local y con la caché de modelos ya preparada (``make recursos``), como la construcción del libro.
Imprime los segundos de cada uno, la carga media de la máquina antes y después, y lo guarda en
JSON. Los tiempos dependen de la máquina y de su carga: mídelo con la máquina en reposo y dilo
al informar.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
OBJETIVO_S = 180


def main() -> int:
    import nbformat
    from nbclient import NotebookClient

    sys.path.insert(0, str(RAIZ / "tests"))
    from conftest import capitulos

    p = argparse.ArgumentParser()
    p.add_argument("--salida", type=Path, default=None)
    p.add_argument("capitulos", nargs="*", help="prefijos de los capítulos (por defecto, todos)")
    args = p.parse_args()
    elegidos = [c for c in capitulos() if not args.capitulos or any(c.stem.startswith(x) for x in args.capitulos)]
    os.environ["CURSO_LLM_MODO"] = "local"
    resultados = {}
    for capitulo in elegidos:
        cuaderno = nbformat.read(capitulo, as_version=4)
        carga_antes = os.getloadavg()[0]
        inicio = time.perf_counter()
        NotebookClient(cuaderno, timeout=1800, resources={"metadata": {"path": str(capitulo.parent)}}).execute()
        segundos = time.perf_counter() - inicio
        resultados[capitulo.stem] = {"segundos": round(segundos, 1), "carga_antes": round(carga_antes, 2),
                                     "carga_despues": round(os.getloadavg()[0], 2)}
        marca = "ok" if segundos <= OBJETIVO_S else f"MÁS de {OBJETIVO_S} s"
        print(f"{capitulo.stem:<32} {segundos:7.1f} s  ({marca}; carga {carga_antes:.1f} → "
              f"{os.getloadavg()[0]:.1f})", flush=True)
    informe = {"maquina": {"nucleos": os.cpu_count(), "sistema": platform.platform()}, "objetivo_s": OBJETIVO_S,
               "capitulos": resultados}
    if args.salida:
        args.salida.write_text(json.dumps(informe, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if all(r["segundos"] <= OBJETIVO_S for r in resultados.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
