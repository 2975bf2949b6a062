"""Preparación de datos: limpieza con recuentos ciertos, longitudes en tokens, división
estratificada y carga de archivos propios, con errores en español para cada entrada mala."""

from __future__ import annotations

import json
import re
from collections import Counter

import datasets
import numpy
import pytest

import curso_llm
from curso_llm.errores import ErrorCurso
from curso_llm.preparacion import EstadisticasLongitud

RASGOS = datasets.Features({"text": datasets.Value("string"),
                            "label": datasets.ClassLabel(names=["sin sesgo", "con sesgo"])})

# Cada fila: (texto, etiqueta, texto limpio esperado o None si la fila debe desaparecer, por qué).
# Los recuentos esperados salen de esta anotación, hecha a mano, no del código que se prueba.
FILAS = [
    ("Hoy mi papá cocinó para toda la familia.", 0, "Hoy mi papá cocinó para toda la familia.", "intacta"),
    ("  Mi   hermana arregla\tbicis  los sábados. ", 0, "Mi hermana arregla bicis los sábados.", "espacios"),
    ("Las chicas no saben de fútbol https://t.co/abc123", 1, "Las chicas no saben de fútbol", "url"),
    ("@laura_88 las mujeres conducen fatal, lo siento", 1, "@usuario las mujeres conducen fatal, lo siento", "mencion"),
    ("https://ejemplo.com/noticia", 0, None, "solo url: queda vacía"),
    ("@pepe @ana jajaja", 1, None, "solo menciones y una palabra: corta"),
    ("ok", 0, None, "corta"),
    ("", 0, None, "vacía"),
    (None, 1, None, "nula"),
    ("Hoy mi papá cocinó para toda la familia.", 0, None, "duplicado exacto"),
    ("Hoy  mi papá cocinó para toda la familia.  ", 0, None, "duplicado tras normalizar espacios"),
    ("@marta las mujeres conducen fatal, lo siento", 1, None, "duplicado tras anonimizar"),
    ("Escríbeme a ana@correo.com si quieres la receta", 0, "Escríbeme a ana@correo.com si quieres la receta",
     "un correo no es una mención"),
    ("Mira www.ejemplo.org: los papás también cuidan", 0, "Mira los papás también cuidan", "url con www"),
]


def _conjunto(filas=FILAS):
    return datasets.Dataset.from_dict({"text": [f[0] for f in filas], "label": [f[1] for f in filas]},
                                      features=RASGOS)


def test_limpieza_cuenta_lo_que_dice_la_anotacion():
    limpio, informe = curso_llm.limpiar_textos(_conjunto())
    esperados = [(f[2], f[1]) for f in FILAS if f[2] is not None]
    assert list(zip(limpio["text"], limpio["label"])) == esperados  # etiquetas alineadas con su texto
    por_que = Counter(f[3] for f in FILAS)
    assert informe.filas_iniciales == len(FILAS)
    assert informe.filas_finales == len(esperados)
    assert informe.paso("Espacios").cambiadas == 3  # la de espacios, su duplicado y la nula («» en vez de None)
    assert informe.paso("Enlaces").cambiadas == 3  # t.co, la que era solo un enlace y www
    assert informe.paso("Menciones").cambiadas == 3  # laura_88, pepe+ana (una fila) y marta; el correo no
    cortas = por_que["solo menciones y una palabra: corta"] + por_que["corta"] + por_que["vacía"] \
        + por_que["nula"] + por_que["solo url: queda vacía"]
    assert informe.paso("Vacías").quitadas == cortas == 5
    duplicadas = sum(1 for f in FILAS if f[3].startswith("duplicado"))
    assert informe.paso("Duplicados").quitadas == duplicadas == 3
    assert informe.quitadas == cortas + duplicadas
    assert [p.despues for p in informe.pasos][-1] == len(limpio)
    assert limpio.features == RASGOS
    tabla = str(informe)
    assert "Duplicados (texto idéntico)" in tabla and f"Quedan {len(esperados)} de {len(FILAS)} filas" in tabla


@pytest.mark.parametrize("texto,esperado", [
    ("  hola   mundo \t ", "hola mundo"),
    ("Primer párrafo,\n  segunda línea.  \n\n\n\nOtro párrafo.\n\n", "Primer párrafo,\nsegunda línea.\n\nOtro párrafo."),
    ("\n\n  \n", ""),
    (None, ""),
])
def test_normalizar_espacios_conserva_los_parrafos(texto, esperado):
    from curso_llm.preparacion import normalizar_espacios

    assert normalizar_espacios(texto) == esperado


def test_cada_paso_se_puede_apagar():
    limpio, informe = curso_llm.limpiar_textos(_conjunto(), urls=False, menciones=False, duplicados=False,
                                               min_palabras=0)
    assert [p.paso for p in informe.pasos] == ["Espacios normalizados", "Vacías o con menos de 0 palabras"]
    assert len(limpio) == len(FILAS)
    assert "https://t.co/abc123" in limpio[2]["text"]


def _a_mano(textos):
    """Recuentos de la limpieza calculados por otro camino (para el conjunto del curso)."""
    normal = ["\n".join(" ".join(linea.split()) for linea in (t or "").splitlines()) for t in textos]
    con_url = sum(bool(re.search(r"https?://|www\.", t, re.I)) for t in normal)
    sin_url = [" ".join(re.sub(r"(https?://|www\.)\S+", " ", t, flags=re.I).split()) for t in normal]
    con_mencion = sum(bool(re.search(r"(^|\s)@\w", t)) for t in sin_url)
    anonimos = [re.sub(r"(^|\s)@\w+", r"\1@usuario", t) for t in sin_url]
    largos = [t for t in anonimos if len([p for p in t.split() if p != "@usuario"]) >= 3]
    return {"espacios": sum(a != b for a, b in zip(textos, normal)), "urls": con_url, "menciones": con_mencion,
            "cortas": len(anonimos) - len(largos), "duplicados": len(largos) - len(set(largos))}


def _informe_como_dict(informe):
    return {"espacios": informe.paso("Espacios").cambiadas, "urls": informe.paso("Enlaces").cambiadas,
            "menciones": informe.paso("Menciones").cambiadas, "cortas": informe.paso("Vacías").quitadas,
            "duplicados": informe.paso("Duplicados").quitadas}


def test_limpieza_de_sesgo_genero_coincide_con_la_cuenta_a_mano():
    tren = curso_llm.cargar_conjunto("sesgo-genero")["train"]
    limpio, informe = curso_llm.limpiar_textos(tren)
    assert _informe_como_dict(informe) == _a_mano(tren["text"])
    assert informe.filas_iniciales == tren.num_rows


def test_limpieza_de_sesgo_genero_ensuciado_encuentra_lo_que_se_metio():
    """El conjunto del curso, con suciedad conocida añadida: la limpieza encuentra justo esa."""
    tren = curso_llm.cargar_conjunto("sesgo-genero")["train"]
    textos, etiquetas = list(tren["text"]), list(tren["label"])
    sucios = [(textos[0], etiquetas[0]), (textos[5], etiquetas[5]), (textos[5], etiquetas[5]),  # 3 duplicados
              ("https://t.co/xyz", 0), ("@alguien", 1),  # 2 que quedan vacías
              (f"@alguien {textos[9]}", etiquetas[9]),  # una mención (no es duplicado: lleva @usuario)
              (f"{textos[11]} https://t.co/q", etiquetas[11])]  # con el enlace fuera, duplica a la fila 11
    ds = datasets.Dataset.from_dict({"text": textos + [t for t, _ in sucios],
                                     "label": etiquetas + [e for _, e in sucios]}, features=tren.features)
    _, informe = curso_llm.limpiar_textos(ds)
    base = _informe_como_dict(curso_llm.limpiar_textos(tren)[1])
    obtenido = _informe_como_dict(informe)
    assert obtenido == _a_mano(ds["text"])
    assert obtenido["duplicados"] - base["duplicados"] == 4
    assert obtenido["cortas"] - base["cortas"] == 2
    assert obtenido["urls"] - base["urls"] == 2
    assert obtenido["menciones"] - base["menciones"] == 2
    assert informe.filas_finales == tren.num_rows - base["duplicados"] - base["cortas"] + 1


@pytest.mark.parametrize(
    "llamada,mensaje",
    [
        (lambda: curso_llm.limpiar_textos(_conjunto(), columna="texto"),
         r"no tiene la columna 'texto'\. Sus columnas son: text, label\. Indica la buena con columna="),
        (lambda: curso_llm.limpiar_textos(_conjunto([])), r"el conjunto está vacío \(0 filas\)"),
        (lambda: curso_llm.limpiar_textos(datasets.DatasetDict({"train": _conjunto(), "test": _conjunto()})),
         r"tiene 2 \(train, test\)\. Elige una, por ejemplo conjunto\['train'\]"),
        (lambda: curso_llm.limpiar_textos(_conjunto(), columna="label"), r"debe tener textos"),
        (lambda: curso_llm.limpiar_textos(_conjunto(), min_palabras=-1), r"min_palabras debe ser un entero"),
        (lambda: curso_llm.limpiar_textos(["hola"]), r"espera un datasets\.Dataset"),
    ],
)
def test_limpieza_con_entradas_malas(llamada, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        llamada()


def test_limpieza_de_un_conjunto_con_solo_texto():
    """Como web-es o un TXT propio: una sola columna."""
    ds = datasets.Dataset.from_dict({"text": [f[0] for f in FILAS]})
    limpio, informe = curso_llm.limpiar_textos(ds)
    assert limpio.column_names == ["text"]
    assert limpio["text"] == [f[2] for f in FILAS if f[2] is not None]
    assert informe.filas_finales == len(limpio)


def test_un_datasetdict_de_una_sola_parte_se_acepta():
    limpio, informe = curso_llm.limpiar_textos(datasets.DatasetDict({"train": _conjunto()}))
    assert informe.filas_iniciales == len(FILAS) and isinstance(limpio, datasets.Dataset)


# ---------------------------------------------------------------- longitudes en tokens

@pytest.fixture(scope="module")
def tokenizador():
    """Un tokenizador WordPiece de verdad, entrenado aquí en un momento."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(curso_llm.cargar_conjunto("sesgo-genero")["train"]["text"],
                            trainers.WordPieceTrainer(vocab_size=400, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]"],
                                                      show_progress=False))
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]",
                                                       special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]")


def test_longitudes_en_tokens_son_las_del_tokenizador(tokenizador):
    tren = curso_llm.cargar_conjunto("sesgo-genero")["train"]
    stats = curso_llm.longitudes_en_tokens(tren, tokenizador, lote=97)  # lotes que no dividen el total
    a_mano = [len(tokenizador(t)["input_ids"]) for t in tren["text"]]
    assert list(stats.longitudes) == a_mano
    assert list(curso_llm.longitudes_en_tokens(tren, tokenizador, especiales=False).longitudes) == [n - 2 for n in a_mano]
    for p in (0, 10, 50, 90, 95, 99, 100):
        assert stats.percentil(p) == pytest.approx(numpy.percentile(a_mano, p))
    assert stats.media == pytest.approx(numpy.mean(a_mano)) and stats.maximo == max(a_mano)
    corte = 40
    assert stats.truncados(corte) == sum(n > corte for n in a_mano)
    assert stats.tokens_perdidos(corte) == sum(max(0, n - corte) for n in a_mano)
    # Un conjunto ya tokenizado con map(batched=True) da las mismas longitudes.
    tokenizado = tren.map(lambda lote: tokenizador(lote["text"]), batched=True)
    assert curso_llm.longitudes_en_tokens(tokenizado).longitudes == stats.longitudes


def test_elegir_corte():
    stats = EstadisticasLongitud(tuple(range(1, 101)))  # 1..100: el percentil 95 es 95,05
    assert curso_llm.elegir_corte(stats) == 96  # múltiplo de 8 por encima
    assert curso_llm.elegir_corte(stats, percentil=50, multiplo=1) == 51
    assert curso_llm.elegir_corte(stats, maximo=64) == 64  # nunca más que el contexto
    assert curso_llm.elegir_corte([3, 3, 3]) == 8  # como mínimo, un múltiplo
    assert stats.truncados(96) == 4 and stats.tokens_perdidos(96) == 1 + 2 + 3 + 4
    resumen = stats.resumen(96)
    assert "100 textos: mínimo 1, mediana 50,5, media 50,5, percentil 95 95,0" in resumen
    assert "se truncan 4 textos (4,0 %)" in resumen and "se pierden 10 de sus 5 050 tokens (0,20 %)" in resumen


@pytest.mark.parametrize(
    "llamada,mensaje",
    [
        (lambda t: curso_llm.longitudes_en_tokens(_conjunto()), r"necesita un tokenizador"),
        (lambda t: curso_llm.longitudes_en_tokens(_conjunto(), t, columna="texto"), r"no tiene la columna 'texto'"),
        (lambda t: curso_llm.longitudes_en_tokens(_conjunto([]), t), r"vacío"),
        (lambda t: EstadisticasLongitud((5, 6)).truncados(0), r"El corte debe ser un número entero"),
        (lambda t: EstadisticasLongitud((5, 6)).percentil(101), r"entre 0 y 100"),
        (lambda t: curso_llm.elegir_corte([1, 2], multiplo=0), r"multiplo debe ser un entero positivo"),
    ],
)
def test_longitudes_con_entradas_malas(tokenizador, llamada, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        llamada(tokenizador)


# ---------------------------------------------------------------- división estratificada

def test_division_estratificada_reproducible_y_sin_fugas():
    tren = curso_llm.cargar_conjunto("sesgo-genero")["train"]
    partes = curso_llm.dividir_conjunto(tren, validacion=0.1, prueba=0.2, semilla=7)
    assert list(partes) == ["train", "validation", "test"]
    assert [partes[p].num_rows for p in partes] == [658, 94, 188]
    textos = [t for p in partes.values() for t in p["text"]]
    assert sorted(textos) == sorted(tren["text"])  # ni se pierde ni se repite ninguna fila
    total = Counter(tren["label"])
    for parte in partes.values():
        cuenta = Counter(parte["label"])
        for clase, n in total.items():  # cada clase, en la misma proporción que en el total
            assert abs(cuenta[clase] - n * parte.num_rows / tren.num_rows) <= 1
    otra_vez = curso_llm.dividir_conjunto(tren, validacion=0.1, prueba=0.2, semilla=7)
    assert otra_vez["test"]["text"] == partes["test"]["text"]
    assert curso_llm.dividir_conjunto(tren, validacion=0.1, prueba=0.2, semilla=8)["test"]["text"] != partes["test"]["text"]
    assert curso_llm.contar_clases(partes["test"]) == {"sin sesgo": 94, "con sesgo": 94}


def test_division_con_etiquetas_de_texto_y_sin_estratificar():
    ds = datasets.Dataset.from_dict({"text": [f"texto {i}" for i in range(40)], "label": ["a", "b", "b", "b"] * 10})
    partes = curso_llm.dividir_conjunto(ds, validacion=0.25, prueba=0.25)
    assert partes["train"].features["label"].names == ["a", "b"]
    cuenta = Counter(partes["test"]["label"])  # 10 filas de prueba: a es la cuarta parte (2,5)
    assert sum(cuenta.values()) == 10 and abs(cuenta[0] - 2.5) <= 1
    libre = curso_llm.dividir_conjunto(ds.remove_columns("label"), validacion=0.2, prueba=0, estratificar=None)
    assert list(libre) == ["train", "validation"] and libre["validation"].num_rows == 8


@pytest.mark.parametrize(
    "llamada,mensaje",
    [
        (lambda: curso_llm.dividir_conjunto(_conjunto(), estratificar="clase"), r"no tiene la columna 'clase'"),
        (lambda: curso_llm.dividir_conjunto(_conjunto([])), r"vacío"),
        (lambda: curso_llm.dividir_conjunto(_conjunto(), validacion=0.6, prueba=0.5), r"debe ser menor que 1"),
        (lambda: curso_llm.dividir_conjunto(_conjunto(), prueba=1.5), r"prueba es la fracción de filas"),
        (lambda: curso_llm.dividir_conjunto(
            datasets.Dataset.from_dict({"text": list("abcdefghij"), "label": [0] * 9 + [1]}, features=RASGOS)),
         r"No puedo estratificar la parte de prueba.*'con sesgo': 1"),
        (lambda: curso_llm.dividir_conjunto(_conjunto(FILAS[:3]), prueba=0.1),
         r"no sale una parte de prueba"),
    ],
)
def test_division_con_entradas_malas(llamada, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        llamada()


def test_contar_clases_da_todas_las_clases_en_orden():
    assert curso_llm.contar_clases(_conjunto(FILAS[:1])) == {"sin sesgo": 1, "con sesgo": 0}
    with pytest.raises(ErrorCurso, match=r"no tiene la columna 'etiqueta'"):
        curso_llm.contar_clases(_conjunto(), columna="etiqueta")


# ---------------------------------------------------------------- archivos propios

def test_csv_propio_con_sus_columnas_y_etiquetas(tmp_path):
    ruta = tmp_path / "resenas.csv"
    ruta.write_text('comentario,opinion\n"Muy rico, volveré",buena\nFrío y caro,mala\n'
                    '"Dos líneas:\nmuy bien",buena\n', encoding="utf-8")
    conjunto = curso_llm.cargar_textos_propios(ruta, columna_texto="comentario", columna_etiqueta="opinion",
                                               etiquetas=["mala", "buena"])
    tren = conjunto["train"]
    assert list(conjunto) == ["train"] and tren.column_names == ["text", "label"]
    assert tren["text"] == ["Muy rico, volveré", "Frío y caro", "Dos líneas:\nmuy bien"]
    assert tren.features["label"].names == ["mala", "buena"] and tren["label"] == [1, 0, 1]
    assert tren.cache_files == []  # en memoria: no se copió a ninguna caché
    # Sin lista de etiquetas: las que aparecen, en orden alfabético.
    solo = curso_llm.cargar_textos_propios(ruta, columna_texto="comentario", columna_etiqueta="opinion")["train"]
    assert solo.features["label"].names == ["buena", "mala"] and solo["label"] == [0, 1, 0]


def test_txt_jsonl_tsv_y_carpeta(tmp_path):
    (tmp_path / "notas.txt").write_text("Primera idea.\n\nSegunda idea,\nen dos líneas.\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "uno"}\n\n{"text": "dos", "otra": 1}\n', encoding="utf-8")
    (tmp_path / "c.tsv").write_text("text\tlabel\nhola, qué tal\tx\n", encoding="utf-8")
    (tmp_path / "ignorado.md").write_text("# no se lee", encoding="utf-8")
    lineas = curso_llm.cargar_textos_propios(tmp_path / "notas.txt")["train"]["text"]
    assert lineas == ["Primera idea.", "Segunda idea,", "en dos líneas."]
    parrafos = curso_llm.cargar_textos_propios(tmp_path / "notas.txt", unidad="parrafo")["train"]["text"]
    assert parrafos == ["Primera idea.", "Segunda idea,\nen dos líneas."]
    todo = curso_llm.cargar_textos_propios(tmp_path)["train"]["text"]
    assert todo == ["uno", "dos", "hola, qué tal", "Primera idea.", "Segunda idea,", "en dos líneas."]


@pytest.mark.parametrize(
    "contenido,nombre,kwargs,mensaje",
    [
        ("texto,etiqueta\nhola,a\n", "a.csv", {}, r"a\.csv no tiene la columna de texto 'text'; sus columnas son: "
                                                  r"texto, etiqueta\. Indica la buena con columna_texto="),
        ("text,etiqueta\nhola,a\n", "a.csv", {"columna_etiqueta": "label"},
         r"no tiene la columna de etiquetas 'label'"),
        ("text,label\nhola,positivo\nadiós,Negativo\n", "a.csv",
         {"columna_etiqueta": "label", "etiquetas": ["negativo", "positivo"]},
         r"Hay etiquetas que no están en la lista: 'Negativo'\. Las conocidas son: 'negativo', 'positivo'"),
        ("text,label\nhola,\n", "a.csv", {"columna_etiqueta": "label"}, r"La fila 1 de a\.csv no tiene etiqueta"),
        ("text,label\n", "a.csv", {}, r"los archivos están vacíos o solo tienen la cabecera"),
        ("", "a.csv", {}, r"están vacíos"),
        ("\n\n", "a.txt", {}, r"están vacíos"),
        ("text\nhola,mundo\n", "a.csv", {}, r"La línea 2 de a\.csv tiene más valores que columnas"),
        ('{"text": "a"}\nno es json\n', "a.jsonl", {}, r"La línea 2 de a\.jsonl no es JSON válido"),
        ("hola", "a.txt", {"columna_etiqueta": "label"}, r"es texto plano y no tiene etiquetas"),
        ("hola", "a.docx", {}, r"No sé leer archivos \.docx"),
        ("hola", "a.txt", {"unidad": "frase"}, r"unidad debe ser una de linea, parrafo, archivo"),
        ("text,label\nhola,a\n", "a.csv", {"columna_etiqueta": "label", "etiquetas": ["a", "a"]},
         r"lista de nombres distintos"),
    ],
)
def test_archivos_propios_con_entradas_malas(tmp_path, contenido, nombre, kwargs, mensaje):
    ruta = tmp_path / nombre
    ruta.write_text(contenido, encoding="utf-8")
    with pytest.raises(ErrorCurso, match=mensaje):
        curso_llm.cargar_textos_propios(ruta, **kwargs)


def test_archivos_propios_que_no_existen_o_no_son_utf8(tmp_path):
    with pytest.raises(ErrorCurso, match=r"No encuentro .*nada\.csv\. Revisa la ruta"):
        curso_llm.cargar_textos_propios(tmp_path / "nada.csv")
    (tmp_path / "latin.csv").write_bytes("text\ncañón\n".encode("latin-1"))
    with pytest.raises(ErrorCurso, match=r"latin\.csv no está en UTF-8"):
        curso_llm.cargar_textos_propios(tmp_path / "latin.csv")
    vacia = tmp_path / "vacia"
    vacia.mkdir()
    with pytest.raises(ErrorCurso, match=r"no tiene archivos \.csv"):
        curso_llm.cargar_textos_propios(vacia)


def test_archivo_propio_limpio_y_dividido_como_los_del_curso(tmp_path):
    """El camino del capítulo: tu CSV → limpiar → dividir, con las mismas funciones."""
    filas = [{"text": f"Reseña número {i} del bar de la esquina", "label": "buena" if i % 3 else "mala"}
             for i in range(30)] + [{"text": "Reseña número 1 del bar de la esquina", "label": "buena"},
                                    {"text": "https://spam.example", "label": "mala"}]
    ruta = tmp_path / "r.jsonl"
    ruta.write_text("\n".join(json.dumps(f, ensure_ascii=False) for f in filas), encoding="utf-8")
    conjunto = curso_llm.cargar_textos_propios(ruta, columna_etiqueta="label")
    limpio, informe = curso_llm.limpiar_textos(conjunto["train"])
    assert (informe.paso("Duplicados").quitadas, informe.paso("Vacías").quitadas) == (1, 1)
    partes = curso_llm.dividir_conjunto(limpio, validacion=0.2, prueba=0.2)
    assert sum(p.num_rows for p in partes.values()) == 30
