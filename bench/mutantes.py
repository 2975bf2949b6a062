"""Pruebas de mutación de ``curso_llm`` con mutmut (no forman parte de las pruebas de cada día).

Uso:  .venv/bin/python bench/mutantes.py [--grupos modo,recursos] [--hijos 1] [--trabajo DIR]
      (o ``make mutantes``)

mutmut cambia el código de una función a la vez (``<`` por ``<=``, ``42`` por ``43``, una línea
borrada…) y ejecuta las pruebas rápidas que pasan por esa función: si alguna falla, el mutante
«muere»; si todas pasan, «sobrevive» y señala algo que ninguna prueba mira. Cada grupo de módulos
corre en su propia copia del repositorio (``DIR/<grupo>``), con solo las pruebas que le tocan
(``-m "not lento"``: nunca capítulos, libro ni navegador), y deja:

- ``bench/mutantes.json``: resultado de cada mutante por módulo y el tiempo de cada grupo;
- en la salida, un resumen en Markdown (el informe razonado está en ``bench/MUTANTES.md``).

Es lento (de minutos a horas según la máquina y el número de hijos): córrelo en segundo plano y con
pocos hijos si compartes la máquina. Si lo paras, al volver a ejecutarlo sigue donde lo dejó.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent

#: Las funciones de modelos_locales que la issue 14 pide cubrir: clave de caché, caché y entrenamiento.
#: Fuera quedan tokens_por_palabra (una medida de bench/), _barra (la barra de progreso) y
#: gpt_local/bert_local/metricas_de (una línea cada una; probarlas es entrenar los modelos de verdad).
#: Primero la clave, la caché y los datos de entrenamiento (lotes, ventanas, máscara, tasa, optimizador);
#: los bucles y los tokenizadores (FUNCIONES_MODELOS_LENTAS) cuestan minutos de CPU por mutante.
FUNCIONES_MODELOS = ["_versiones", "huella", "_carpeta_lista", "_sin_permiso", "construir_en_cache", "_tasa",
                     "_optimizador", "_lotes_aleatorios", "flujo_de_ids", "_ventanas_bert", "_enmascarar"]
FUNCIONES_MODELOS_DATOS = ["_tasa", "_optimizador", "_lotes_aleatorios", "flujo_de_ids", "_ventanas_bert", "_enmascarar"]
FUNCIONES_MODELOS_LENTAS = ["entrenar_tokenizador_bpe", "entrenar_tokenizador_wordpiece", "_vocabulario_wordpiece",
                            "_bucle", "perdida_validacion_gpt", "entrenar_gpt", "entrenar_bert"]
#: Dónde vive cada función desde que modelos_locales se partió por concepto.
MODULO_DE = {
    **dict.fromkeys(["_versiones", "huella", "_carpeta_lista", "_sin_permiso", "construir_en_cache"], "cache_modelos"),
    **dict.fromkeys(["_tasa", "_optimizador", "_lotes_aleatorios", "flujo_de_ids", "_bucle",
                     "perdida_validacion_gpt"], "entrenamiento"),
    **dict.fromkeys(["_ventanas_bert", "_enmascarar", "modelo_gpt", "entrenar_gpt", "entrenar_bert"], "modelos_locales"),
    **dict.fromkeys(["entrenar_tokenizador_bpe", "entrenar_tokenizador_wordpiece", "_vocabulario_wordpiece"],
                    "tokenizadores"),
}
MODULOS_MODELOS = sorted(set(MODULO_DE.values()))


def _patrones(funciones: list[str]) -> list[str]:
    return [f"curso_llm.{MODULO_DE[f]}.x_{f}__mutmut_*" for f in funciones]

#: Las pruebas que entrenan modelos diminutos, y cómo dejar fuera la de los pesos en dos intérpretes
#: nuevos (minutos por mutante): la igualdad bit a bit en un proceso la cubre test_misma_semilla_mismos_pesos,
#: y la de entre procesos se comprobó plantando el error (MUTANTES.md).
PRUEBAS_MODELOS = ["tests/test_modelos_locales.py", "tests/test_modelos_exacto.py", "tests/test_entre_procesos.py"]
SIN_PESOS_ENTRE_PROCESOS = ["--deselect", "tests/test_entre_procesos.py::test_pesos_entrenados_iguales_en_otros_interpretes"]

#: Grupo → (módulos a mutar, pruebas que se ejecutan, mutantes a probar: patrones de mutmut o vacío = todos).
GRUPOS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "modo": (["modo"], ["tests/test_modo.py", "tests/test_comportamiento.py", "tests/test_hub.py"], []),
    "recursos": (["recursos"], ["tests/test_recursos.py", "tests/test_recursos_en_proceso.py",
                                "tests/test_corpus.py", "tests/test_hub.py"], []),
    "corpus": (["corpus"], ["tests/test_corpus.py", "tests/test_corpus_exacto.py", "tests/test_entre_procesos.py",
                          "tests/test_recursos_en_proceso.py"],
               []),
    "quiz": (["quiz"], ["tests/test_quiz.py", "tests/test_quiz_exacto.py", "tests/test_comportamiento.py"], []),
    "sesion": (["sesion"], ["tests/test_sesion.py", "tests/test_sesion_exacta.py", "tests/test_errores_en_espanol.py"], []),
    # Clave de caché, partición y entrenamiento de los modelos locales.
    "modelos_locales": (MODULOS_MODELOS,
                        [*PRUEBAS_MODELOS, "tests/test_errores_en_espanol.py", *SIN_PESOS_ENTRE_PROCESOS],
                        _patrones(FUNCIONES_MODELOS)),
    # Las funciones puras de los datos de entrenamiento, con sus pruebas directas (rápidas): un mutante
    # aquí no necesita entrenar un modelo para morir.
    "modelos_locales_datos": (MODULOS_MODELOS, ["tests/test_modelos_exacto.py",
                                                "tests/test_comportamiento.py::test_enmascarar_como_bert",
                                                "tests/test_modelos_locales.py::test_wordpiece_da_los_mismos_ids_cada_vez"],
                              _patrones(FUNCIONES_MODELOS_DATOS)),
    # Solo la carpeta de la caché y su construcción (la clave ya está en «modelos_locales»): el grupo
    # que faltaba medir en la sesión 6.
    "modelos_locales_cache": (MODULOS_MODELOS,
                              [*PRUEBAS_MODELOS, "tests/test_errores_en_espanol.py", *SIN_PESOS_ENTRE_PROCESOS],
                              _patrones(["_carpeta_lista", "construir_en_cache"])),
    # El bucle de entrenamiento y la pérdida de validación, con las pruebas que entrenan modelos
    # diminutos (6 pasos): segundos por mutante, no minutos.
    "modelos_locales_bucle": (MODULOS_MODELOS,
                              ["tests/test_modelos_locales.py", "tests/test_modelos_exacto.py",
                               "tests/test_comportamiento.py::test_la_perdida_enmascarada_del_mini_bert_baja"],
                              _patrones(["_bucle", "perdida_validacion_gpt"])),
    # modelo_gpt, entrenar_gpt y entrenar_bert: lo que junta tokenizador, datos, modelo y bucle. Cada
    # prueba que pasa por ellos entrena un modelo diminuto (segundos), así que va aparte de «_lentas».
    "modelos_locales_entrenar": (MODULOS_MODELOS,
                                 [*PRUEBAS_MODELOS, "tests/test_comportamiento.py", "tests/test_capitulo4.py",
                                  "tests/test_capitulo.py", *SIN_PESOS_ENTRE_PROCESOS],
                                 _patrones(["modelo_gpt", "entrenar_gpt", "entrenar_bert"])),
    "modelos_locales_lentas": (MODULOS_MODELOS,
                               [*PRUEBAS_MODELOS, "tests/test_comportamiento.py", *SIN_PESOS_ENTRE_PROCESOS],
                               _patrones(FUNCIONES_MODELOS_LENTAS)),
}

#: Lo que corre ``make mutantes`` sin más: el alcance de la issue 14 sin repetir mutantes (los grupos
#: «_datos» y «_cache» son partes de «modelos_locales», para rehacer solo esas; «_lentas» entrena un
#: modelo por mutante y tarda horas: pídelo con --grupos).
PREDETERMINADOS = ["modo", "recursos", "corpus", "quiz", "sesion", "modelos_locales", "modelos_locales_bucle",
                   "modelos_locales_entrenar"]

ESTADOS = {1: "muerto", 3: "muerto", 0: "sobrevive", 5: "sin pruebas", 33: "sin pruebas", 34: "saltado",
           36: "tiempo agotado", -24: "tiempo agotado", 24: "tiempo agotado", 152: "tiempo agotado",
           255: "tiempo agotado", -11: "segfault", -9: "segfault", None: "sin comprobar"}


def _copiar_repo(destino: Path) -> None:
    """Copia lo que git conoce del repositorio (sin .git, _build ni entornos) a ``destino``."""
    archivos = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=RAIZ, capture_output=True,
                              text=True, check=True).stdout.splitlines()
    for relativo in archivos:
        origen = RAIZ / relativo
        if not origen.is_file() or relativo.startswith(("mutants/", "bench/mutantes_trabajo")):
            continue
        (destino / relativo).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origen, destino / relativo)


def _configurar(destino: Path, modulos: list[str], pruebas: list[str]) -> None:
    def lista(valores):
        return "\n".join(f"    {v}" for v in valores)

    # mutmut nombra cada mutante por su ruta y solo quita un prefijo «src.»: con el paquete en lib/
    # los nombres serían lib.curso_llm.… y no casarían con los módulos importados (curso_llm.…). Se
    # muta una copia en src/ (lib/ queda intacto para las pruebas que lo leen).
    copia = destino / "src" / "curso_llm"
    if copia.exists():
        shutil.rmtree(copia)
    shutil.copytree(destino / "lib" / "curso_llm", copia, ignore=shutil.ignore_patterns("__pycache__"))
    (destino / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = src\n"
        # lo que las pruebas leen de la raíz del repositorio (mutmut las ejecuta dentro de mutants/)
        f"also_copy =\n{lista(['pytest.ini', '_config.yml', '_toc.yml', 'book/', 'lib/', 'requirements.txt', 'constraints.txt', 'README.md', 'Makefile', '.ci/', 'bench/'])}\n"
        f"only_mutate =\n{lista(f'src/curso_llm/{m}.py' for m in modulos)}\n"
        f"pytest_add_cli_args_test_selection =\n{lista([*pruebas, '-m', 'not lento'])}\n"
        # sin --durations (ruido en cada mutante) ni caché de pytest
        f"pytest_add_cli_args =\n{lista(['-p', 'no:cacheprovider', '-o', 'addopts=', '-W', 'ignore'])}\n"
        # torch no tolera bien fork después de entrenar: los hijos salen de un proceso servidor limpio
        "process_isolation = forkserver\n"
        "timeout_multiplier = 5\n"
        # el arranque de pytest en cada hijo cuesta segundos de CPU en una máquina cargada: sin este
        # margen, mutantes que las pruebas matan en un instante se contaban como «tiempo agotado»
        "timeout_constant = 20\n"
        "use_git_change_detection = false\n",
        encoding="utf-8",
    )


def _entorno(destino: Path) -> dict[str, str]:
    entorno = dict(os.environ)
    # El código mutado (mutants/src) va antes que el paquete instalado; los procesos que lancen las
    # pruebas lo heredan (y con él MUTANT_UNDER_TEST), así que también ven el mutante.
    rutas = [str(destino / "mutants" / "src")]
    extra = os.environ.get("CURSO_LLM_MUTMUT_RUTA")  # mutmut fuera del entorno (solo para desarrollo)
    if extra:
        rutas.append(extra)
    entorno["PYTHONPATH"] = os.pathsep.join(rutas)
    entorno.setdefault("OMP_NUM_THREADS", "1")
    entorno.setdefault("TOKENIZERS_PARALLELISM", "false")
    return entorno


def _resultados(destino: Path, modulos: list[str]) -> dict[str, dict[str, str]]:
    por_modulo = {}
    for modulo in modulos:
        meta = destino / "mutants" / "src" / "curso_llm" / f"{modulo}.py.meta"
        datos = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {"exit_code_by_key": {}}
        por_modulo[modulo] = {k: ESTADOS.get(v, "sospechoso") for k, v in sorted(datos["exit_code_by_key"].items())}
    return por_modulo


def _diferencia(destino: Path, mutante: str) -> str:
    proceso = subprocess.run([sys.executable, "-m", "mutmut", "show", mutante], cwd=destino,
                             capture_output=True, text=True, env=_entorno(destino))
    return proceso.stdout.strip()


def correr_grupo(nombre: str, trabajo: Path, hijos: int, solo: list[str] | None = None) -> dict:
    """Muta el grupo ``nombre``; con ``solo``, únicamente esos mutantes (en una copia aparte)."""
    modulos, pruebas, patrones = GRUPOS[nombre]
    patrones = solo if solo is not None else patrones
    destino = trabajo / (nombre if solo is None else f"{nombre}-reintento")
    destino.mkdir(parents=True, exist_ok=True)
    _copiar_repo(destino)
    _configurar(destino, modulos, pruebas)
    # La carpeta del código mutado debe existir antes de arrancar mutmut: si no, Python recuerda que
    # esa entrada de PYTHONPATH no existía y las pruebas importan el paquete instalado, sin mutantes
    # (y mutmut dice que ninguna prueba pasa por el código mutado).
    (destino / "mutants" / "src").mkdir(parents=True, exist_ok=True)
    registro = trabajo / f"{destino.name}.log"
    inicio = time.perf_counter()
    with open(registro, "a", encoding="utf-8") as salida:
        proceso = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(hijos), *patrones],
                                 cwd=destino, env=_entorno(destino), stdout=salida, stderr=subprocess.STDOUT)
    segundos = time.perf_counter() - inicio
    resultados = _resultados(destino, modulos)
    if solo is not None:  # solo cuentan los reintentados
        resultados = {m: {k: e for k, e in estados.items() if k in solo} for m, estados in resultados.items()}
    sobreviven = {k for estados in resultados.values() for k, e in estados.items() if e not in ("muerto", "sin comprobar")}
    return {"segundos": round(segundos, 1), "codigo_salida": proceso.returncode, "registro": str(registro),
            "resultados": resultados,
            "diferencias": {k: _diferencia(destino, k) for k in sobreviven}}


def resumen(informe: dict) -> str:
    filas = ["| módulo | mutantes | muertos | sobreviven | otros | % muertos | tiempo |", "|---|---|---|---|---|---|---|"]
    for grupo, datos in informe.items():
        for modulo, estados in datos["resultados"].items():
            estados = {k: e for k, e in estados.items() if e != "sin comprobar"}  # fuera del alcance elegido
            total = len(estados)
            muertos = sum(e == "muerto" for e in estados.values())
            vivos = sum(e == "sobrevive" for e in estados.values())
            otros = total - muertos - vivos
            porcentaje = 100 * muertos / total if total else 0
            minutos = (datos["segundos"] + datos.get("segundos_reintento", 0)) / 60
            filas.append(f"| `{modulo}` | {total} | {muertos} | {vivos} | {otros} | {porcentaje:.1f} % | "
                         f"{minutos:.1f} min |")
    return "\n".join(filas)


def main() -> int:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--grupos", default=",".join(PREDETERMINADOS),
                            help=f"de {', '.join(GRUPOS)} (por defecto: {', '.join(PREDETERMINADOS)})")
    analizador.add_argument("--hijos", type=int, default=1, help="mutantes a la vez (1 en una máquina compartida)")
    analizador.add_argument("--trabajo", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "curso_llm_mutantes")
    analizador.add_argument("--salida", type=Path, default=RAIZ / "bench" / "mutantes.json")
    analizador.add_argument("--reintentar", action="store_true",
                            help="segunda pasada: solo los mutantes que no murieron en --salida, con las pruebas de "
                                 "ahora (los que ya murieron lo hicieron con un subconjunto de ellas)")
    args = analizador.parse_args()
    grupos = [g.strip() for g in args.grupos.split(",") if g.strip()]
    desconocidos = set(grupos) - set(GRUPOS)
    if desconocidos:
        analizador.error(f"grupos desconocidos: {sorted(desconocidos)}")
    try:
        import mutmut  # noqa: F401
    except ImportError:
        print("Falta mutmut: instálalo con pip install -r requirements.txt -c constraints.txt")
        return 1
    informe = json.loads(args.salida.read_text(encoding="utf-8")) if args.salida.exists() else {}
    for grupo in grupos:
        print(f"Mutando {grupo}… (registro en {args.trabajo / (grupo + '.log')})", flush=True)
        if args.reintentar and grupo in informe:
            previo = informe[grupo]
            vivos = [k for estados in previo["resultados"].values() for k, e in estados.items()
                     if e not in ("muerto", "sin comprobar")]
            if not vivos:
                continue
            nuevo = correr_grupo(grupo, args.trabajo, args.hijos, solo=vivos)
            for modulo, estados in nuevo["resultados"].items():
                previo["resultados"][modulo].update(estados)
            previo["diferencias"] = {k: v for k, v in nuevo["diferencias"].items()}
            previo["segundos_reintento"] = nuevo["segundos"]
            informe[grupo] = previo
        else:
            informe[grupo] = correr_grupo(grupo, args.trabajo, args.hijos)
        args.salida.write_text(json.dumps(informe, indent=1, ensure_ascii=False), encoding="utf-8")
        print(resumen({grupo: informe[grupo]}), flush=True)
    print(resumen(informe))
    return 0


if __name__ == "__main__":
    sys.exit(main())
