"""Los tiempos que antes vivían como ``assert … < 1 s`` dentro de las pruebas (no forman parte de ellas).

Uso:  .venv/bin/python bench/tiempos.py        (sale con 1 si algún tiempo pasa de su objetivo)

Una prueba que mide segundos falla en una máquina cargada aunque el código esté bien, y pasa en una
rápida aunque esté mal. Las pruebas comprueban ahora el comportamiento (en modo local no se abre
ninguna conexión; la segunda llamada no vuelve a entrenar) y aquí se miden los tiempos:

1. modo local con toda la red desviada a un proxy mudo: cargar ``sesgo-genero`` y que falle
   ``AutoConfig.from_pretrained`` de un id del Hub que no está en la caché;
2. acierto de caché de ``construir_en_cache`` con un mini GPT-2 diminuto ya entrenado.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

OBJETIVO_S = 1.0
RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ / "tests"))
from servidor_mudo import SONDA_RED, ServidorMudo, variables_de_proxy  # noqa: E402

ACIERTO_CACHE = """
import time
from pathlib import Path
from curso_llm import modelos_locales as ml
corpus = Path({corpus!r})
config = ml.ConfigGPT(vocabulario=300, contexto=32, capas=1, dim=32, cabezas=2, lote=4, pasos=6, calentamiento=2)
ml.construir_en_cache("gpt2-es", config, ml.entrenar_gpt, progreso=False, corpus=corpus)
t0 = time.perf_counter()
ml.construir_en_cache("gpt2-es", config, ml.entrenar_gpt, progreso=False, corpus=corpus)
print(time.perf_counter() - t0)
"""

def _ejecutar(codigo: str, extra: dict[str, str]) -> float:
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_", "CURSO_LLM_"))}
    entorno |= {"CURSO_LLM_MODO": "local"} | extra
    proceso = subprocess.run([sys.executable, "-c", codigo], env=entorno, capture_output=True, text=True,
                             timeout=600, cwd=RAIZ)
    if proceso.returncode != 0:
        raise SystemExit(proceso.stderr[-3000:])
    return float(proceso.stdout.strip().splitlines()[-1])


def medir() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with ServidorMudo() as mudo:
            red = _ejecutar(SONDA_RED, {"CURSO_LLM_CACHE": str(tmp / "cache"), "HF_HOME": str(tmp / "hf"),
                                        **variables_de_proxy(mudo.url)})
        corpus = tmp / "corpus"
        corpus.mkdir()
        frases = [f"La casa número {i} tiene una puerta azul y un patio con plantas." for i in range(60)]
        (corpus / "general.txt").write_text("\n---\n".join(frases), encoding="utf-8")
        cache = _ejecutar(ACIERTO_CACHE.format(corpus=str(corpus)), {"CURSO_LLM_CACHE": str(tmp / "cache")})
    return {"modo local sin red: cargar y fallar sin esperar (s)": red,
            "conexiones abiertas con el proxy mudo": float(len(mudo.conexiones)),
            "acierto de caché de un modelo local (s)": cache}


def main() -> int:
    medidas = medir()
    fallas = 0
    for nombre, valor in medidas.items():
        if nombre.startswith("conexiones"):
            bien = valor == 0
            print(f"[{'OK' if bien else 'FALLA'}] {nombre}: {valor:.0f} (objetivo: 0)")
        else:
            bien = valor < OBJETIVO_S
            print(f"[{'OK' if bien else 'FALLA'}] {nombre}: {valor:.3f} (objetivo: < {OBJETIVO_S:.0f} s)")
        fallas += not bien
    print(json.dumps(medidas, ensure_ascii=False))
    return 1 if fallas else 0


if __name__ == "__main__":
    sys.exit(main())
