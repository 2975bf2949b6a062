"""Escribe bench/README.md a partir de bench/resultados.json (lo produce bench/medir.py)."""

from __future__ import annotations

import json
from pathlib import Path

AQUI = Path(__file__).resolve().parent


def miles(n: int) -> str:
    """12 345 (espacio fino como separador de miles)."""
    return f"{n:,}".replace(",", "\u202f")


def _config_bert() -> str:
    from dataclasses import asdict

    from curso_llm.modelos_locales import ConfigBERT

    c = asdict(ConfigBERT())
    return (f"Configuración: {c['capas']} capas, dimensión {c['dim']}, {c['cabezas']} cabezas, contexto {c['contexto']}, "
            f"vocabulario {c['vocabulario']}, lote {c['lote']}, {c['pasos']} pasos, tasa {c['tasa']}, "
            f"{c['prob_mascara']:.0%} de tokens enmascarados, semilla {c['semilla']}.")


def main() -> None:
    r = json.loads((AQUI / "resultados.json").read_text(encoding="utf-8"))
    g, b, t = r["gpt"], r["bert"], r["tokenizadores"]
    mejor_kn = min(g["perplejidad_kn_bigrama"], g["perplejidad_kn_trigrama"])
    razon = g["perplejidad_gpt"] / mejor_kn
    cfg = g["config"]

    def si(cumple: bool) -> str:
        return "✅" if cumple else "❌"

    lineas = [
        "# Benchmarks de los recursos locales",
        "",
        "Medidas de los modelos y datos propios del curso en esta máquina "
        f"({r['maquina']['procesador']}, {r['maquina']['nucleos']} núcleos, sin GPU).",
        "Se regeneran con:",
        "",
        "```text",
        ".venv/bin/python bench/medir.py && .venv/bin/python bench/informe.py",
        "```",
        "",
        "No son pruebas: los tiempos dependen de la máquina. Cada parte corre en un proceso propio",
        "(para medir su memoria pico) y con una caché vacía.",
        "",
        "## Objetivos",
        "",
        "| objetivo | medido | ¿cumple? |",
        "|---|---|---|",
        f"| mini GPT-2: ≤ 3 min de entrenamiento en 2 núcleos | {g['segundos_construir']:.0f} s (bucle {g['segundos_bucle']:.0f} s) | {si(g['segundos_construir'] <= 180)} |",
        f"| mini GPT-2: MFU ≥ 55 % | {g['mfu']:.0%} | {si(g['mfu'] >= 0.55)} |",
        f"| mini GPT-2: perplejidad ≤ 0,6 × mejor n-grama Kneser–Ney | {g['perplejidad_gpt']:.1f} = {razon:.2f} × {mejor_kn:.1f} | {si(razon <= 0.6)} |",
        f"| mini BERT: ≤ 2 min | {b['segundos_construir']:.0f} s (bucle {b['segundos_bucle']:.0f} s) | {si(b['segundos_construir'] <= 120)} |",
        f"| carga desde caché < 1 s | gpt2-es {r['carga']['gpt2-es']:.2f} s, bert {r['carga']['bert']:.2f} s | {si(max(r['carga']['gpt2-es'], r['carga']['bert']) < 1)} |",
        f"| `preparar` en frío ≤ 6 min | {r['preparar_frio_s']:.0f} s | {si(r['preparar_frio_s'] <= 360)} |",
        "",
        "## Mini GPT-2",
        "",
        f"Configuración: {cfg['capas']} capas, dimensión {cfg['dim']}, {cfg['cabezas']} cabezas, contexto {cfg['contexto']}, "
        f"vocabulario {cfg['vocabulario']}, lote {cfg['lote']}, {cfg['pasos']} pasos, tasa {cfg['tasa']}, semilla {cfg['semilla']}, "
        f"{cfg['hilos']} hilos. {miles(g['parametros'])} parámetros.",
        "",
        "| medida | valor |",
        "|---|---|",
        f"| tokens de entrenamiento / validación | {miles(g['tokens_entrenamiento'])} / {miles(g['tokens_validacion'])} |",
        f"| tokens por segundo (bucle) | {miles(g['tokens_por_segundo'])} |",
        f"| GFLOPS sostenidos (6·N + atención) | {g['gflops']} |",
        f"| pico fp32 de matmul medido en la misma ejecución | {g['pico_gflops']} GFLOPS |",
        f"| MFU | {g['mfu']:.1%} |",
        f"| memoria pico del proceso | {g['memoria_pico_mb']} MB |",
        "",
        "Perplejidad en validación (mismo tokenizador, misma partición):",
        "",
        "| modelo | perplejidad |",
        "|---|---:|",
        f"| unigrama (Laplace) | {g['perplejidad_unigrama']} |",
        f"| bigrama Kneser–Ney interpolado (D = 0,75) | {g['perplejidad_kn_bigrama']} |",
        f"| trigrama Kneser–Ney interpolado (D = 0,75) | {g['perplejidad_kn_trigrama']} |",
        f"| **mini GPT-2** | **{g['perplejidad_gpt']}** |",
        "",
        "Tres muestras (muestreo top-p 0,9, temperatura 0,8, semillas 0, 1 y 2):",
        "",
    ]
    for muestra in g["muestras"]:
        lineas += ["> " + muestra.replace("\n", " "), ""]
    m, tanda = r["mitad"], r["primera_tanda"]
    lineas += [
        "**Más texto, mejor modelo.** El mismo entrenamiento (mismos pasos, misma validación completa) con "
        "menos texto de entrenamiento:",
        "",
        "| texto de entrenamiento | tokens | perplejidad del mini GPT-2 |",
        "|---|---:|---:|",
        f"| solo la primera tanda del corpus (5 archivos, ~460 KB) | {miles(tanda['tokens_entrenamiento'])} | {tanda['perplejidad_gpt']} |",
        f"| la mitad de las piezas | {miles(m['tokens_entrenamiento'])} | {m['perplejidad_gpt']} |",
        f"| todo el corpus | {miles(g['tokens_entrenamiento'])} | {g['perplejidad_gpt']} |",
        "",
        "Cada variante entrena también su propio tokenizador con su texto. Con menos texto, el tokenizador",
        "trocea más la validación, y más tokens por palabra tienden a bajar la perplejidad por token: la",
        "ventaja real de tener más texto es, si acaso, algo mayor que la de la tabla.",
        "",
    ]
    lineas += [
        "## Tokenizadores",
        "",
        "Tokens por palabra en la partición de validación (BPE por bytes entrenado con el corpus de entrenamiento):",
        "",
        "| vocabulario | tokens por palabra |",
        "|---:|---:|",
    ]
    lineas += [f"| {v} | {t[v]} |" for v in ("2048", "4096", "8192")]
    lineas += [
        "",
        "## Mini BERT",
        "",
        f"Arquitectura: `RoFormerForMaskedLM`, es decir, BERT con posiciones rotatorias (ver las notas). {_config_bert()}",
        "",
        "| medida | valor |",
        "|---|---|",
        f"| parámetros | {miles(b['parametros'])} |",
        f"| tokens por segundo (bucle) | {miles(b['tokens_por_segundo'])} |",
        f"| exactitud top-1 / top-5 en fill-mask ({b['casos']} palabras comunes enmascaradas en validación) | {b['top1']:.1%} / {b['top5']:.1%} |",
        f"| memoria pico del proceso | {b['memoria_pico_mb']} MB |",
        "",
        "Ejemplos (top-5):",
        "",
    ]
    lineas += [f"- {frase} → {', '.join(r.strip() for r in respuestas)}" for frase, respuestas in b["ejemplos"].items()]
    lineas += ["", (AQUI / "NOTAS.md").read_text(encoding="utf-8") if (AQUI / "NOTAS.md").exists() else ""]
    (AQUI / "README.md").write_text("\n".join(lineas).rstrip() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
