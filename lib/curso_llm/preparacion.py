"""Preparar datos de texto con ``datasets``: limpiar, medir en tokens, dividir y cargar tus archivos.

- ``limpiar_textos``: normaliza espacios, quita enlaces, anonimiza menciones y descarta filas
  vacías, muy cortas o repetidas. Devuelve el conjunto limpio y un informe con cuántas filas
  quitó o cambió cada paso.
- ``longitudes_en_tokens`` y ``elegir_corte``: cuántos tokens mide cada texto y dónde cortar.
- ``dividir_conjunto``: entrenamiento, validación y prueba, estratificado por la etiqueta y con
  semilla fija.
- ``cargar_textos_propios``: tus CSV, TSV, JSONL o TXT con las mismas columnas que los conjuntos
  del curso (``text`` y, si hay, ``label``). Se leen en tu máquina y no se copian a ninguna caché.

Las bibliotecas pesadas (``datasets``) se importan dentro de cada función.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errores import ErrorCurso

COLUMNA_TEXTO = "text"
COLUMNA_ETIQUETA = "label"

#: Un enlace: http(s)://… o www.… hasta el siguiente espacio.
PATRON_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: Una mención de red social: @ seguida de letras, números o _ (no un correo: nada delante).
PATRON_MENCION = re.compile(r"(?<![\w@.])@\w+")
#: Lo que queda de una mención tras anonimizarla.
MENCION_ANONIMA = "@usuario"

EXTENSIONES = (".csv", ".tsv", ".jsonl", ".txt")
UNIDADES_TXT = ("linea", "parrafo", "archivo")


# ---------------------------------------------------------------- comprobaciones comunes

def _parte(conjunto, que: str):
    """El ``Dataset`` sobre el que trabajar (o un error que dice qué pasar)."""
    import datasets

    if isinstance(conjunto, (datasets.DatasetDict, dict)):
        partes = list(conjunto)
        if len(partes) == 1:
            return conjunto[partes[0]]
        raise ErrorCurso(
            f"{que} trabaja sobre una sola parte del conjunto y este tiene {len(partes)} "
            f"({', '.join(partes)}). Elige una, por ejemplo conjunto[{partes[0]!r}]."
        )
    if isinstance(conjunto, (datasets.IterableDataset, datasets.IterableDatasetDict)):
        raise ErrorCurso(
            f"{que} necesita un conjunto en memoria, y este se lee en streaming. Toma una muestra "
            "primero: datasets.Dataset.from_list(list(conjunto.take(5000)))."
        )
    if not isinstance(conjunto, datasets.Dataset):
        raise ErrorCurso(
            f"{que} espera un datasets.Dataset (por ejemplo, curso_llm.cargar_conjunto('sesgo-genero')['train']); "
            f"recibí {type(conjunto).__name__}."
        )
    return conjunto


def _comprobar_columna(ds, columna: str, que: str) -> None:
    if not isinstance(columna, str) or columna not in ds.column_names:
        raise ErrorCurso(
            f"{que}: el conjunto no tiene la columna {columna!r}. Sus columnas son: "
            f"{', '.join(ds.column_names) or 'ninguna'}. Indica la buena con columna=… "
            "(o renómbrala con conjunto.rename_column(vieja, nueva))."
        )


def _comprobar_no_vacio(ds, que: str) -> None:
    if ds.num_rows == 0:
        raise ErrorCurso(
            f"{que}: el conjunto está vacío (0 filas). Revisa el archivo o el filtro anterior: "
            "quizá quitó todas las filas."
        )


# ---------------------------------------------------------------- limpieza

@dataclass(frozen=True)
class PasoLimpieza:
    """Lo que hizo un paso de la limpieza."""

    paso: str
    antes: int
    quitadas: int = 0
    cambiadas: int = 0

    @property
    def despues(self) -> int:
        return self.antes - self.quitadas


@dataclass
class InformeLimpieza:
    """Filas que quitó o cambió cada paso de ``limpiar_textos``, en orden."""

    pasos: list[PasoLimpieza] = field(default_factory=list)

    @property
    def filas_iniciales(self) -> int:
        return self.pasos[0].antes if self.pasos else 0

    @property
    def filas_finales(self) -> int:
        return self.pasos[-1].despues if self.pasos else 0

    @property
    def quitadas(self) -> int:
        return self.filas_iniciales - self.filas_finales

    def paso(self, nombre: str) -> PasoLimpieza:
        """El paso cuyo nombre empieza por ``nombre`` (p. ej. ``"Duplicados"``)."""
        for p in self.pasos:
            if p.paso.lower().startswith(nombre.lower()):
                return p
        raise ErrorCurso(f"No hay un paso {nombre!r}. Los pasos son: {', '.join(p.paso for p in self.pasos)}.")

    def __str__(self) -> str:
        ancho = max([len(p.paso) for p in self.pasos] + [4])
        filas = [f"{'Paso':<{ancho}}  {'antes':>7}  {'quitadas':>8}  {'cambiadas':>9}  {'después':>7}"]
        for p in self.pasos:
            filas.append(f"{p.paso:<{ancho}}  {p.antes:>7}  {p.quitadas:>8}  {p.cambiadas:>9}  {p.despues:>7}")
        filas.append(f"Quedan {self.filas_finales} de {self.filas_iniciales} filas "
                     f"({self.quitadas} quitadas en total).")
        return "\n".join(filas)


def normalizar_espacios(texto) -> str:
    """Un solo espacio entre palabras y ninguno al principio ni al final de cada línea. Los párrafos
    se conservan: los saltos de línea siguen ahí, con una sola línea en blanco como mucho entre
    dos párrafos y ninguna al principio ni al final."""
    if texto is None:
        return ""
    lineas: list[str] = []
    for linea in str(texto).splitlines():
        linea = " ".join(linea.split())
        if linea or (lineas and lineas[-1]):
            lineas.append(linea)
    while lineas and not lineas[-1]:
        lineas.pop()
    return "\n".join(lineas)


def quitar_urls(texto: str) -> str:
    """El texto sin enlaces (``https://…``, ``www.…``), con los espacios ya normalizados."""
    return normalizar_espacios(PATRON_URL.sub(" ", texto))


def anonimizar_menciones(texto: str) -> str:
    """Cada ``@alguien`` pasa a ser ``@usuario``: se sabe que hay una mención, no a quién."""
    return PATRON_MENCION.sub(MENCION_ANONIMA, texto)


def contar_palabras(texto: str) -> int:
    """Palabras de verdad: sin contar las menciones anonimizadas."""
    return sum(1 for p in texto.split() if p != MENCION_ANONIMA)


def limpiar_textos(conjunto, columna: str = COLUMNA_TEXTO, *, urls: bool = True, menciones: bool = True,
                   min_palabras: int = 3, duplicados: bool = True):
    """Limpia la columna de texto de un ``Dataset`` y devuelve ``(limpio, informe)``.

    Pasos, en este orden (cada uno se puede apagar):

    1. **Espacios**: deja uno solo entre palabras y ninguno al principio ni al final de cada línea
       (los párrafos se conservan, con una línea en blanco como mucho entre ellos).
    2. **Enlaces** (``urls``): borra ``https://…`` y ``www.…``.
    3. **Menciones** (``menciones``): ``@alguien`` → ``@usuario`` (anonimiza sin perder la señal).
    4. **Vacías o cortas**: quita las filas con menos de ``min_palabras`` palabras (las menciones
       no cuentan). Un tuit que solo tenía un enlace queda vacío aquí.
    5. **Duplicados** (``duplicados``): quita las filas cuyo texto, ya limpio, es idéntico al de una
       fila anterior (se queda la primera).

    Las demás columnas (como ``label``) se conservan tal cual. ``informe`` dice cuántas filas quitó
    o cambió cada paso; ``print(informe)`` lo muestra como tabla.
    """
    ds = _parte(conjunto, "limpiar_textos")
    _comprobar_columna(ds, columna, "limpiar_textos")
    _comprobar_no_vacio(ds, "limpiar_textos")
    if not isinstance(min_palabras, int) or isinstance(min_palabras, bool) or min_palabras < 0:
        raise ErrorCurso(f"min_palabras debe ser un entero de 0 en adelante (por ejemplo, 3); recibí {min_palabras!r}.")

    originales = ds[columna]
    if any(t is not None and not isinstance(t, str) for t in originales):
        raise ErrorCurso(
            f"La columna {columna!r} debe tener textos, y tiene {ds.features[columna]}. "
            "¿Es la columna de texto? Indícala con columna=…"
        )
    informe = InformeLimpieza()
    textos = list(originales)
    indices = list(range(len(textos)))  # filas del conjunto original que siguen vivas

    def transformar(nombre: str, funcion) -> None:
        nonlocal textos
        nuevos = [funcion(t) for t in textos]
        cambiadas = sum(a != b for a, b in zip(textos, nuevos))
        informe.pasos.append(PasoLimpieza(nombre, len(textos), 0, cambiadas))
        textos = nuevos

    def quitar(nombre: str, conservar) -> None:
        nonlocal textos, indices
        vivos = [i for i, t in enumerate(textos) if conservar(t)]
        informe.pasos.append(PasoLimpieza(nombre, len(textos), len(textos) - len(vivos), 0))
        textos = [textos[i] for i in vivos]
        indices = [indices[i] for i in vivos]

    transformar("Espacios normalizados", normalizar_espacios)
    if urls:
        transformar("Enlaces (URL) borrados", quitar_urls)
    if menciones:
        transformar("Menciones → @usuario", anonimizar_menciones)
    quitar(f"Vacías o con menos de {min_palabras} palabras", lambda t: contar_palabras(t) >= min_palabras)
    if duplicados:
        vistos: set[str] = set()

        def primera_vez(t: str) -> bool:
            if t in vistos:
                return False
            vistos.add(t)
            return True

        quitar("Duplicados (texto idéntico)", primera_vez)

    import datasets

    if ds.column_names == [columna]:  # solo el texto: se construye de nuevo, con sus mismos rasgos
        return datasets.Dataset.from_dict({columna: textos}, features=ds.features), informe
    limpio = ds.select(indices)
    orden = limpio.column_names
    rasgo = limpio.features[columna]
    limpio = limpio.remove_columns([columna]).add_column(columna, textos, feature=rasgo).select_columns(orden)
    return limpio, informe


# ---------------------------------------------------------------- longitudes en tokens

@dataclass(frozen=True)
class EstadisticasLongitud:
    """Longitud en tokens de cada texto de un conjunto, con sus resúmenes."""

    longitudes: tuple[int, ...]

    def __post_init__(self):
        if not self.longitudes:
            raise ErrorCurso("No hay longitudes que resumir: el conjunto está vacío.")

    @property
    def n(self) -> int:
        return len(self.longitudes)

    @property
    def minimo(self) -> int:
        return min(self.longitudes)

    @property
    def maximo(self) -> int:
        return max(self.longitudes)

    @property
    def media(self) -> float:
        return sum(self.longitudes) / self.n

    @property
    def mediana(self) -> float:
        return self.percentil(50)

    def percentil(self, p: float) -> float:
        """El percentil ``p`` (0–100), con interpolación lineal como ``numpy.percentile``."""
        if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 <= p <= 100:
            raise ErrorCurso(f"El percentil debe ser un número entre 0 y 100; recibí {p!r}.")
        orden = sorted(self.longitudes)
        posicion = (len(orden) - 1) * p / 100
        abajo, arriba = math.floor(posicion), math.ceil(posicion)
        return orden[abajo] + (orden[arriba] - orden[abajo]) * (posicion - abajo)

    def truncados(self, corte: int) -> int:
        """Cuántos textos tienen más de ``corte`` tokens (y perderían su final)."""
        return sum(1 for n in self.longitudes if n > _comprobar_corte(corte))

    def tokens_perdidos(self, corte: int) -> int:
        """Cuántos tokens en total quedarían fuera al cortar en ``corte``."""
        corte = _comprobar_corte(corte)
        return sum(n - corte for n in self.longitudes if n > corte)

    def resumen(self, corte: int | None = None) -> str:
        linea = (f"{_cifra(self.n)} textos: mínimo {self.minimo}, mediana {_cifra(self.mediana, 1)}, "
                 f"media {_cifra(self.media, 1)}, percentil 95 {_cifra(self.percentil(95), 1)}, "
                 f"máximo {self.maximo} tokens.")
        if corte is None:
            return linea
        t, perdidos, total = self.truncados(corte), self.tokens_perdidos(corte), sum(self.longitudes)
        return (linea + f"\nCon un corte en {corte} tokens se truncan {_cifra(t)} textos "
                f"({_cifra(100 * t / self.n, 1)} %)\ny se pierden {_cifra(perdidos)} de sus "
                f"{_cifra(total)} tokens ({_cifra(100 * perdidos / total, 2)} %).")

    def __str__(self) -> str:
        return self.resumen()


def _cifra(x: float, decimales: int = 0) -> str:
    return f"{x:,.{decimales}f}".replace(",", " ").replace(".", ",")


def _comprobar_corte(corte) -> int:
    if not isinstance(corte, int) or isinstance(corte, bool) or corte < 1:
        raise ErrorCurso(f"El corte debe ser un número entero de tokens, 1 o más (por ejemplo, 64); recibí {corte!r}.")
    return corte


def longitudes_en_tokens(conjunto, tokenizador=None, columna: str = COLUMNA_TEXTO, especiales: bool = True,
                         lote: int = 1000) -> EstadisticasLongitud:
    """Cuántos tokens mide cada texto.

    Si el conjunto ya tiene la columna ``input_ids`` (porque lo tokenizaste con ``map``), se usa
    esa. Si no, se tokeniza ``columna`` con ``tokenizador`` (con sus tokens especiales, como los
    verá el modelo, salvo que pidas ``especiales=False``).
    """
    ds = _parte(conjunto, "longitudes_en_tokens")
    _comprobar_no_vacio(ds, "longitudes_en_tokens")
    if "input_ids" in ds.column_names:
        return EstadisticasLongitud(tuple(len(ids) for ids in ds["input_ids"]))
    if tokenizador is None or not callable(tokenizador):
        raise ErrorCurso(
            "longitudes_en_tokens necesita un tokenizador (por ejemplo, "
            "AutoTokenizer.from_pretrained(curso_llm.ruta_modelo('bert'))) o un conjunto ya tokenizado "
            "con la columna input_ids."
        )
    _comprobar_columna(ds, columna, "longitudes_en_tokens")
    textos = [t if isinstance(t, str) else "" for t in ds[columna]]
    longitudes: list[int] = []
    for inicio in range(0, len(textos), lote):
        trozo = tokenizador(textos[inicio:inicio + lote], add_special_tokens=especiales, truncation=False,
                            verbose=False)
        longitudes.extend(len(ids) for ids in trozo["input_ids"])
    return EstadisticasLongitud(tuple(longitudes))


def elegir_corte(estadisticas, percentil: float = 95, multiplo: int = 8, maximo: int | None = None) -> int:
    """Un corte de longitud razonable: el ``percentil`` de las longitudes, redondeado hacia arriba
    al múltiplo de ``multiplo`` (las GPU trabajan mejor así) y, si se da, sin pasar de ``maximo``
    (el contexto del modelo). Así casi ningún texto se trunca y no se rellena de más."""
    if not isinstance(estadisticas, EstadisticasLongitud):
        estadisticas = EstadisticasLongitud(tuple(int(n) for n in estadisticas))
    if not isinstance(multiplo, int) or isinstance(multiplo, bool) or multiplo < 1:
        raise ErrorCurso(f"multiplo debe ser un entero positivo (por ejemplo, 8); recibí {multiplo!r}.")
    corte = max(multiplo, math.ceil(estadisticas.percentil(percentil) / multiplo) * multiplo)
    if maximo is not None:
        corte = min(corte, _comprobar_corte(maximo))
    return corte


# ---------------------------------------------------------------- división estratificada

def _fraccion(valor, nombre: str) -> float:
    if not isinstance(valor, (int, float)) or isinstance(valor, bool) or not 0 <= valor < 1:
        raise ErrorCurso(f"{nombre} es la fracción de filas para esa parte, entre 0 y 1 (por ejemplo, 0.1); "
                         f"recibí {valor!r}.")
    return float(valor)


def dividir_conjunto(conjunto, validacion: float = 0.1, prueba: float = 0.1, estratificar: str | None = COLUMNA_ETIQUETA,
                     semilla: int = 42):
    """Divide un ``Dataset`` en ``train``, ``validation`` y ``test`` (un ``DatasetDict``).

    - ``validacion`` y ``prueba``: fracción del total para cada parte (0 para no crearla).
    - ``estratificar``: la columna de la etiqueta, para que cada parte tenga la misma proporción de
      cada clase que el conjunto entero; ``None`` para una división al azar (textos sin etiqueta).
      Si la columna no es ``ClassLabel`` (por ejemplo, textos como «positivo»), se convierte.
    - ``semilla``: la misma semilla da siempre la misma división.
    """
    import datasets

    ds = _parte(conjunto, "dividir_conjunto")
    _comprobar_no_vacio(ds, "dividir_conjunto")
    validacion, prueba = _fraccion(validacion, "validacion"), _fraccion(prueba, "prueba")
    if validacion + prueba >= 1:
        raise ErrorCurso(f"validacion + prueba debe ser menor que 1 (quedan filas para entrenar); "
                         f"recibí {validacion} + {prueba}.")
    if estratificar is not None:
        _comprobar_columna(ds, estratificar, "dividir_conjunto")
        if not isinstance(ds.features[estratificar], datasets.ClassLabel):
            ds = ds.class_encode_column(estratificar)

    def partir(d, fraccion: float, que: str):
        if round(fraccion * d.num_rows) < 1 or d.num_rows - round(fraccion * d.num_rows) < 1:
            raise ErrorCurso(
                f"Con {d.num_rows} filas no sale una parte de {que} de {fraccion:.0%} con al menos una fila "
                "y algo para entrenar. Usa más datos o cambia la fracción."
            )
        try:
            return d.train_test_split(test_size=fraccion, stratify_by_column=estratificar, seed=semilla)
        except ValueError as error:
            if estratificar is None:
                raise
            cuentas = _cuentas(d, estratificar)
            raise ErrorCurso(
                f"No puedo estratificar la parte de {que}: cada clase necesita ejemplos suficientes para "
                f"repartirse entre las partes, y hay {cuentas}. Consigue más ejemplos de las clases pequeñas, "
                "usa fracciones mayores o estratificar=None."
            ) from error

    partes = {}
    resto = ds
    if prueba > 0:
        division = partir(resto, prueba, "prueba")
        resto, partes["test"] = division["train"], division["test"]
    if validacion > 0:
        division = partir(resto, validacion / (1 - prueba), "validación")
        resto, partes["validation"] = division["train"], division["test"]
    return datasets.DatasetDict({"train": resto, **{k: partes[k] for k in ("validation", "test") if k in partes}})


def _cuentas(ds, columna: str) -> dict:
    from collections import Counter

    nombres = getattr(ds.features[columna], "names", None)
    cuenta = Counter(ds[columna])
    return {(nombres[k] if nombres else k): v for k, v in sorted(cuenta.items())}


def contar_clases(conjunto, columna: str = COLUMNA_ETIQUETA) -> dict[str, int]:
    """``{nombre de la clase: filas}`` de una columna de etiquetas, en el orden de sus índices."""
    import datasets

    ds = _parte(conjunto, "contar_clases")
    _comprobar_columna(ds, columna, "contar_clases")
    rasgo = ds.features[columna]
    cuenta = _cuentas(ds, columna)
    if isinstance(rasgo, datasets.ClassLabel):
        return {nombre: cuenta.get(nombre, 0) for nombre in rasgo.names}
    return {str(k): v for k, v in cuenta.items()}


# ---------------------------------------------------------------- tus propios archivos

def _leer(ruta: Path) -> str:
    try:
        return ruta.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ErrorCurso(
            f"{ruta.name} no está en UTF-8. Ábrelo en tu editor y guárdalo como «UTF-8» "
            "(en Excel: Guardar como → CSV UTF-8)."
        ) from None


def _filas_de(ruta: Path, unidad: str) -> list[dict]:
    extension = ruta.suffix.lower()
    texto = _leer(ruta)
    if extension in (".csv", ".tsv"):
        if not texto.strip():
            return []
        lector = csv.DictReader(io.StringIO(texto, newline=""), delimiter="\t" if extension == ".tsv" else ",")
        if lector.fieldnames is None:
            return []
        filas = []
        for fila in lector:
            if None in fila:  # más valores que columnas: suele ser una coma sin comillas
                raise ErrorCurso(
                    f"La línea {lector.line_num} de {ruta.name} tiene más valores que columnas. "
                    "Si un texto lleva comas, enciérralo entre comillas dobles."
                )
            filas.append({(k or "").strip(): v for k, v in fila.items()})
        return filas or _SoloCabecera(lector.fieldnames)
    if extension == ".jsonl":
        filas = []
        for n, linea in enumerate(texto.splitlines(), 1):
            if not linea.strip():
                continue
            try:
                fila = json.loads(linea)
            except json.JSONDecodeError as error:
                raise ErrorCurso(f"La línea {n} de {ruta.name} no es JSON válido ({error.msg}). "
                                 "Cada línea debe ser un objeto, como {\"text\": \"…\"}.") from None
            if not isinstance(fila, dict):
                raise ErrorCurso(f"La línea {n} de {ruta.name} no es un objeto JSON ({{\"text\": \"…\"}}).")
            filas.append(fila)
        return filas
    # .txt
    if unidad == "archivo":
        return [{COLUMNA_TEXTO: texto}] if texto.strip() else []
    if unidad == "parrafo":
        bloques = re.split(r"\n\s*\n", texto)
    else:
        bloques = texto.splitlines()
    return [{COLUMNA_TEXTO: b.strip()} for b in bloques if b.strip()]


class _SoloCabecera(list):
    """Un CSV con cabecera y sin filas: vacío, pero sabemos sus columnas."""

    def __init__(self, columnas):
        super().__init__()
        self.columnas = [c.strip() for c in columnas if c]


def cargar_textos_propios(rutas, columna_texto: str = COLUMNA_TEXTO, columna_etiqueta: str | None = None,
                          etiquetas: list[str] | None = None, unidad: str = "linea"):
    """Tus propios archivos como un ``DatasetDict`` con la parte ``train``, igual que
    ``cargar_conjunto``: columna ``text`` y, si das ``columna_etiqueta``, ``label`` (``ClassLabel``).

    - ``rutas``: un archivo o una lista (``.csv``, ``.tsv``, ``.jsonl`` o ``.txt``), o una carpeta
      (se leen todos los archivos con esas extensiones, en orden alfabético).
    - ``columna_texto`` / ``columna_etiqueta``: cómo se llaman esas columnas en tus CSV, TSV o JSONL.
    - ``etiquetas``: los nombres de las clases, en el orden que quieras para sus números (0, 1…).
      Si no los das, se toman los valores que aparecen, en orden alfabético.
    - ``unidad`` (solo ``.txt``): ``"linea"`` (un ejemplo por línea), ``"parrafo"`` (separados por
      una línea en blanco) o ``"archivo"`` (un ejemplo por archivo).

    Todo se lee en tu máquina: nada se sube a ningún sitio ni se copia a una caché.
    """
    import datasets

    if unidad not in UNIDADES_TXT:
        raise ErrorCurso(f"unidad debe ser una de {', '.join(UNIDADES_TXT)}; recibí {unidad!r}.")
    if isinstance(rutas, (str, Path)):
        rutas = [rutas]
    try:
        rutas = [Path(r).expanduser() for r in rutas]
    except TypeError:
        raise ErrorCurso("rutas debe ser la ruta de un archivo o de una carpeta, o una lista de rutas.") from None
    archivos: list[Path] = []
    for ruta in rutas:
        if ruta.is_dir():
            dentro = sorted(p for p in ruta.iterdir() if p.suffix.lower() in EXTENSIONES)
            if not dentro:
                raise ErrorCurso(f"La carpeta {ruta} no tiene archivos {', '.join(EXTENSIONES)}.")
            archivos.extend(dentro)
        elif ruta.is_file():
            if ruta.suffix.lower() not in EXTENSIONES:
                raise ErrorCurso(f"No sé leer archivos {ruta.suffix or 'sin extensión'} ({ruta.name}). "
                                 f"Guárdalo como {', '.join(EXTENSIONES)}.")
            archivos.append(ruta)
        else:
            raise ErrorCurso(f"No encuentro {ruta}. Revisa la ruta (en Colab, sube el archivo con el icono de "
                             "la carpeta y copia su ruta con el botón derecho).")
    if not archivos:
        raise ErrorCurso("No me diste ningún archivo que leer.")

    textos: list[str] = []
    valores: list[str] = []
    for archivo in archivos:
        filas = _filas_de(archivo, unidad)
        columnas_txt = archivo.suffix.lower() == ".txt"
        columnas = getattr(filas, "columnas", None) or (list(filas[0]) if filas else [])
        if not columnas_txt and columnas and columna_texto not in columnas:
            raise ErrorCurso(
                f"{archivo.name} no tiene la columna de texto {columna_texto!r}; sus columnas son: "
                f"{', '.join(columnas)}. Indica la buena con columna_texto=…"
            )
        if columna_etiqueta is not None:
            if columnas_txt:
                raise ErrorCurso(f"{archivo.name} es texto plano y no tiene etiquetas. Usa un CSV con una "
                                 "columna para el texto y otra para la etiqueta.")
            if columnas and columna_etiqueta not in columnas:
                raise ErrorCurso(
                    f"{archivo.name} no tiene la columna de etiquetas {columna_etiqueta!r}; sus columnas son: "
                    f"{', '.join(columnas)}. Indica la buena con columna_etiqueta=…"
                )
        for n, fila in enumerate(filas, 1):
            if not columnas_txt and columna_texto not in fila:
                raise ErrorCurso(f"La fila {n} de {archivo.name} no tiene la columna {columna_texto!r}.")
            texto = fila.get(COLUMNA_TEXTO if columnas_txt else columna_texto)
            textos.append("" if texto is None else str(texto))
            if columna_etiqueta is not None:
                valor = fila.get(columna_etiqueta)
                if valor is None or str(valor).strip() == "":
                    raise ErrorCurso(f"La fila {n} de {archivo.name} no tiene etiqueta en {columna_etiqueta!r}. "
                                     "Complétala o quita esa fila.")
                valores.append(str(valor).strip())
    if not textos:
        raise ErrorCurso(
            f"No encontré ningún ejemplo en {', '.join(a.name for a in archivos)}: "
            "los archivos están vacíos o solo tienen la cabecera."
        )

    columnas_ds = {COLUMNA_TEXTO: textos}
    rasgos = {COLUMNA_TEXTO: datasets.Value("string")}
    if columna_etiqueta is not None:
        if etiquetas is None:
            nombres = sorted(set(valores))
        else:
            if isinstance(etiquetas, str) or not etiquetas or len(set(map(str, etiquetas))) != len(etiquetas):
                raise ErrorCurso("etiquetas debe ser una lista de nombres distintos, como ['negativo', 'positivo'].")
            nombres = [str(e) for e in etiquetas]
        desconocidas = sorted(set(valores) - set(nombres))
        if desconocidas:
            raise ErrorCurso(
                f"Hay etiquetas que no están en la lista: {', '.join(map(repr, desconocidas))}. "
                f"Las conocidas son: {', '.join(map(repr, nombres))}. Corrige el archivo (¿una errata, "
                "una mayúscula?) o añádelas a etiquetas=[…]."
            )
        columnas_ds[COLUMNA_ETIQUETA] = [nombres.index(v) for v in valores]
        rasgos[COLUMNA_ETIQUETA] = datasets.ClassLabel(names=nombres)
    ds = datasets.Dataset.from_dict(columnas_ds, features=datasets.Features(rasgos))
    return datasets.DatasetDict({"train": ds})
