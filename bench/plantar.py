"""Planta a mano los errores de la issue 14, uno a uno, y comprueba que su prueba falla.

Uso:  .venv/bin/python bench/plantar.py [--solo NOMBRE,…] [--trabajo DIR]

Cada error se planta en una copia nueva del repositorio (nunca en el tuyo), se ejecuta la prueba que
debe verlo y se anota si falló (bien) o pasó (mal: la prueba no mira lo que dice). Antes, la misma
prueba se ejecuta sin el error y debe pasar. Resultado en ``bench/plantados.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
L = "lib/curso_llm/"

#: nombre → (archivo, texto original, texto con el error, pruebas que deben fallar)
ERRORES: dict[str, tuple[str, str, str, list[str]]] = {
    "clave de caché con hash()": (
        L + "modelos_locales.py",
        "return hashlib.sha256(json.dumps(datos, sort_keys=True).encode()).hexdigest()[:12]",
        "return format(hash(json.dumps(datos, sort_keys=True)) & 0xFFFFFFFFFFFF, '012x')",
        ["tests/test_entre_procesos.py::test_clave_de_cache_igual_en_otros_interpretes",
         "tests/test_entre_procesos.py::test_los_modelos_entrenados_se_encuentran_desde_otro_interprete"]),
    "partición con hash()": (
        L + "corpus.py",
        'return "validation" if int.from_bytes(resumen[:4], "big") % PARTES_VALIDACION == 0 else "train"',
        'return "validation" if hash(pieza) % PARTES_VALIDACION == 0 else "train"',
        ["tests/test_entre_procesos.py::test_particion_igual_en_otros_interpretes"]),
    "etiquetas locales de sesgo-genero invertidas": (
        L + "corpus.py",
        'columnas = {"text": [t for t, _ in filas], "label": [e for _, e in filas]}',
        'columnas = {"text": [t for t, _ in filas], "label": [1 - e for _, e in filas]}',
        ["tests/test_recursos_en_proceso.py::test_sesgo_local_con_etiquetas_conocidas"]),
    "[MASK] cambiado por otro token": (
        L + "modelos_locales.py",
        "x[elegidos & (dado < 0.8)] = tok.mask_token_id",
        "x[elegidos & (dado < 0.8)] = tok.unk_token_id",
        ["tests/test_comportamiento.py::test_enmascarar_como_bert"]),
    "semillas del capítulo sin fijar": (
        L + "capitulo.py",
        "    fijar_semillas(semilla)\n    # Sin ipywidgets",
        "    # Sin ipywidgets",
        ["tests/test_comportamiento.py::test_iniciar_capitulo_repite_los_sorteos"]),
    "la rama hub de cargar_conjunto sin normalizar": (
        L + "recursos.py",
        "return recurso.normalizar(conjunto) if recurso.normalizar else conjunto",
        "return conjunto",
        ["tests/test_recursos_en_proceso.py::test_sesgo_genero_del_hub_con_sus_etiquetas"]),
    "modo local sin TRANSFORMERS_OFFLINE": (
        L + "modo.py",
        'VARIABLES_SIN_RED = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")',
        'VARIABLES_SIN_RED = ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE")',
        ["tests/test_comportamiento.py::test_importar_curso_llm_en_modo_local_apaga_cada_variable"]),
    "JavaScript del quiz sin los arreglos (solo las claves)": (
        L + "quiz.py",
        "    for original, cambio in {**TRADUCCIONES, **ARREGLOS}.items():",
        "    for original, cambio in TRADUCCIONES.items():",
        ["tests/test_comportamiento.py::test_el_javascript_del_quiz_lleva_los_arreglos"]),
    "el mini BERT no aprende (gradiente borrado antes del paso)": (
        L + "modelos_locales.py",
        "            opt.step()\n            opt.zero_grad(set_to_none=True)",
        "            opt.zero_grad(set_to_none=True)\n            opt.step()",
        ["tests/test_comportamiento.py::test_la_perdida_enmascarada_del_mini_bert_baja"]),
    "pesos que dependen del proceso": (
        L + "modelos_locales.py",
        "    torch.manual_seed(config.semilla)\n    hilos_antes",
        "    torch.manual_seed(config.semilla + hash('curso') % 1000)\n    hilos_antes",
        ["tests/test_entre_procesos.py::test_pesos_entrenados_iguales_en_otros_interpretes"]),
    "orden desconocida con el error de argparse": (
        L + "__main__.py",
        "    def error(self, message: str):",
        "    def _error_sin_usar(self, message: str):",
        ["tests/test_errores_en_espanol.py::test_orden_desconocida_en_espanol"]),
    "secreto de Colab denegado tomado por ausente": (
        L + "sesion.py",
        '        if tipo == "NotebookAccessError":\n            return None, DENEGADO',
        '        if tipo == "NotebookAccessError":\n            return None, AUSENTE',
        ["tests/test_errores_en_espanol.py::test_secreto_de_colab_denegado"]),
    "PermissionError tomado por carpeta dañada": (
        L + "modelos_locales.py",
        "    except PermissionError:\n        raise\n    except Exception:  # ausente",
        "    except Exception:  # ausente",
        ["tests/test_errores_en_espanol.py::test_caché_sin_permiso_se_explica_y_no_se_borra"]),
    "diagnóstico sin packaging: traceback": (
        L + "diagnostico.py",
        "        except ImportError:\n            fijados = {}  # la línea [FALLA] de packaging va abajo",
        "        except NotImplementedError:\n            fijados = {}",
        ["tests/test_errores_en_espanol.py::test_diagnostico_sin_packaging_es_una_falla"]),
}


def _copiar(destino: Path) -> None:
    archivos = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=RAIZ, capture_output=True,
                              text=True, check=True).stdout.splitlines()
    for relativo in archivos:
        if (RAIZ / relativo).is_file():
            (destino / relativo).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(RAIZ / relativo, destino / relativo)


def _pytest(copia: Path, pruebas: list[str]) -> subprocess.CompletedProcess:
    entorno = dict(os.environ, PYTHONPATH=str(copia / "lib"))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                           *pruebas], cwd=copia, env=entorno, capture_output=True, text=True, timeout=1800)


def main() -> int:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--solo", default="", help="nombres separados por comas (por defecto, todos)")
    analizador.add_argument("--trabajo", type=Path, default=None)
    analizador.add_argument("--salida", type=Path, default=RAIZ / "bench" / "plantados.json")
    analizador.add_argument("--sin-sano", action="store_true",
                            help="no ejecutar antes la prueba sin el error (si ya sabes que la suite pasa)")
    analizador.add_argument("--seguir", action="store_true", help="saltar los errores ya comprobados en --salida")
    args = analizador.parse_args()
    resultados = json.loads(args.salida.read_text(encoding="utf-8")) if args.salida.exists() else {}
    elegidos = [n for n in ERRORES if (not args.solo or n in args.solo.split(","))
                and not (args.seguir and resultados.get(n, {}).get("la_prueba_lo_ve"))]
    malos = 0
    with tempfile.TemporaryDirectory(dir=args.trabajo) as tmp:
        for nombre in elegidos:
            archivo, original, error, pruebas = ERRORES[nombre]
            copia = Path(tmp) / f"copia{elegidos.index(nombre)}"
            _copiar(copia)
            inicio = time.perf_counter()
            sano = None if args.sin_sano else _pytest(copia, pruebas)
            ruta = copia / archivo
            texto = ruta.read_text(encoding="utf-8")
            if texto.count(original) != 1:
                raise SystemExit(f"{nombre}: el texto original no aparece una sola vez en {archivo}")
            ruta.write_text(texto.replace(original, error), encoding="utf-8")
            plantado = _pytest(copia, pruebas)
            bien = (sano is None or sano.returncode == 0) and plantado.returncode == 1
            malos += not bien
            resultados[nombre] = {"archivo": archivo, "pruebas": pruebas, "sin_error": sano.stdout.strip().splitlines()[-1] if sano else "no ejecutada (--sin-sano)",
                                  "con_error": plantado.stdout.strip().splitlines()[-1], "la_prueba_lo_ve": bien,
                                  "segundos": round(time.perf_counter() - inicio, 1)}
            print(f"[{'OK' if bien else 'FALLA'}] {nombre}: sin el error «{resultados[nombre]['sin_error']}», "
                  f"con él «{resultados[nombre]['con_error']}»", flush=True)
            args.salida.write_text(json.dumps(resultados, indent=1, ensure_ascii=False), encoding="utf-8")
            shutil.rmtree(copia)
    return 1 if malos else 0


if __name__ == "__main__":
    sys.exit(main())
