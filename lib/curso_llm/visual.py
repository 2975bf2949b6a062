"""Ayudantes visuales para mirar dentro de un transformer.

- ``partir_en_tokens`` y ``colorear_tokens``: en qué trozos corta un tokenizador un texto.
- ``mapa_de_atencion``: los pesos de atención de una cabeza, como mapa de calor.
- ``barras_probabilidades``: las probabilidades del siguiente token, como barras.
- ``autoatencion_causal``: autoatención causal con varias cabezas en PyTorch puro,
  la misma cuenta que hace GPT-2 (sirve de referencia en el capítulo 2 y en las pruebas).

Las bibliotecas pesadas (matplotlib, torch, IPython) se importan dentro de cada función:
``import curso_llm`` sigue siendo ligero. Las figuras se crean con ``pyplot``, así que en
un cuaderno se muestran solas al final de la celda; la función además devuelve la figura
por si quieres guardarla (``fig.savefig(...)``).
"""

from __future__ import annotations

import html
import math

from .errores import ErrorCurso

#: Cómo se ven en las figuras los caracteres invisibles de un token.
ESPACIO_VISIBLE = "␣"
SALTO_VISIBLE = "↵"

# Colores suaves que se alternan entre tokens vecinos (texto oscuro encima: contraste AA).
_COLORES_TOKENS = ("#fde2a7", "#c6e6f5", "#d5ecc2", "#f9cfd6", "#e0d4f5", "#fbd8b4")
_COLOR_ESPECIAL = "#d9d9d9"


def _visible(trozo: str) -> str:
    """Un trozo de texto con los espacios y saltos de línea a la vista."""
    return trozo.replace(" ", ESPACIO_VISIBLE).replace("\n", SALTO_VISIBLE).replace("\t", "⇥")


def _comprobar_texto(texto) -> None:
    if not isinstance(texto, str) or not texto:
        raise ErrorCurso(
            f"El texto debe ser una cadena no vacía, por ejemplo \"El gato duerme.\"; recibí {texto!r}."
        )


def _codificar(tokenizador, texto: str, especiales: bool):
    """``(ids, etiquetas, desplazamientos, ids_especiales)`` para un tokenizador de
    ``transformers`` (rápido o lento) o un ``tokenizers.Tokenizer``.

    ``desplazamientos`` es ``None`` si el tokenizador no sabe dar la posición de cada token.
    """
    # Un tokenizers.Tokenizer «crudo»: encode() devuelve un Encoding con todo.
    if hasattr(tokenizador, "encode") and hasattr(tokenizador, "get_vocab") and hasattr(tokenizador, "token_to_id") \
            and not callable(getattr(tokenizador, "convert_ids_to_tokens", None)):
        codificado = tokenizador.encode(texto, add_special_tokens=especiales)
        especiales_ids = {i for i, m in zip(codificado.ids, codificado.special_tokens_mask) if m}
        return list(codificado.ids), list(codificado.tokens), list(codificado.offsets), especiales_ids
    if not callable(tokenizador) or not callable(getattr(tokenizador, "convert_ids_to_tokens", None)):
        raise ErrorCurso(
            f"No sé usar un {type(tokenizador).__name__} como tokenizador. Pásame uno de transformers "
            "(por ejemplo, AutoTokenizer.from_pretrained(curso_llm.ruta_modelo(\"gpt2-es\"))) "
            "o un tokenizers.Tokenizer."
        )
    especiales_ids = set(getattr(tokenizador, "all_special_ids", []) or [])
    try:
        codificado = tokenizador(texto, add_special_tokens=especiales, return_offsets_mapping=True)
        desplazamientos = [tuple(d) for d in codificado["offset_mapping"]]
    except (NotImplementedError, TypeError, ValueError):  # tokenizadores «lentos»: sin posiciones
        codificado = tokenizador(texto, add_special_tokens=especiales)
        desplazamientos = None
    ids = list(codificado["input_ids"])
    return ids, list(tokenizador.convert_ids_to_tokens(ids)), desplazamientos, especiales_ids


def _piezas(tokenizador, texto: str, especiales: bool) -> list[dict]:
    """Un diccionario por token: id, texto visible, clase y hueco de texto que lo precede."""
    ids, etiquetas, desplazamientos, especiales_ids = _codificar(tokenizador, texto, especiales)
    piezas = []
    if desplazamientos is None:
        for i, etiqueta in zip(ids, etiquetas):
            es_especial = i in especiales_ids
            texto_token = etiqueta if es_especial else tokenizador.decode([i])
            piezas.append({"id": i, "texto": texto_token, "clase": "especial" if es_especial else "normal",
                           "antes": "", "etiqueta": etiqueta})
        return piezas
    fin_anterior = 0
    tramo_anterior = None
    for i, etiqueta, (inicio, fin) in zip(ids, etiquetas, desplazamientos):
        antes = texto[fin_anterior:inicio] if inicio > fin_anterior else ""
        if i in especiales_ids or inicio == fin:
            # [CLS], [SEP], <|endoftext|>, [UNK]…: no corresponden a un trozo literal del texto.
            clase = "especial"
            visible = etiqueta
        elif tramo_anterior is not None and inicio < tramo_anterior[1]:
            # Mismo carácter que el token anterior: un emoji o una letra rara partida en bytes.
            clase = "byte"
            visible = "+byte"
            antes = ""
        else:
            clase = "normal"
            visible = texto[inicio:fin]
        piezas.append({"id": i, "texto": visible, "clase": clase, "antes": antes, "etiqueta": etiqueta})
        if fin > inicio:
            fin_anterior = max(fin_anterior, fin)
            tramo_anterior = (inicio, fin)
    return piezas


def partir_en_tokens(tokenizador, texto: str, especiales: bool = False) -> list[str]:
    """Los trozos de ``texto`` que ve el modelo, uno por token y en orden.

    Cada trozo es el texto original que cubre el token (con su espacio delante, si lo
    lleva). Los tokens especiales se devuelven con su nombre (``[CLS]``…) y los bytes
    sueltos de un carácter partido, como ``"+byte"``.

    >>> partir_en_tokens(tokenizador, "El gato duerme")   # doctest: +SKIP
    ['El', ' gato', ' duer', 'me']
    """
    _comprobar_texto(texto)
    return [p["texto"] for p in _piezas(tokenizador, texto, especiales)]


def colorear_tokens(tokenizador, texto: str, especiales: bool = False, mostrar_ids: bool = False):
    """Muestra ``texto`` con cada token sobre un fondo de color (HTML).

    - ``␣`` marca un espacio que forma parte del token; ``↵``, un salto de línea.
    - En gris, los tokens especiales (``[CLS]``, ``<|endoftext|>``…) si pides ``especiales=True``.
    - ``+byte``: un carácter poco frecuente (un emoji, una letra rara) que el tokenizador
      partió en varios bytes.
    - ``mostrar_ids=True`` escribe debajo de cada token su número en el vocabulario.

    Devuelve un ``IPython.display.HTML``: déjalo como última línea de la celda para verlo
    (funciona igual en Colab, en Jupyter y en el libro).
    """
    from IPython.display import HTML

    _comprobar_texto(texto)
    piezas = _piezas(tokenizador, texto, especiales)
    estilo_base = ("display:inline-block;margin:2px 1px;padding:1px 3px;border-radius:4px;color:#1a202c;"
                   "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;line-height:1.3;"
                   "vertical-align:top;text-align:center")
    partes = []
    for n, p in enumerate(piezas):
        if p["antes"]:
            partes.append(html.escape(p["antes"]).replace("\n", "<br>"))
        if p["clase"] == "especial":
            fondo, extra = _COLOR_ESPECIAL, "font-weight:bold;"
        elif p["clase"] == "byte":
            fondo, extra = _COLORES_TOKENS[n % len(_COLORES_TOKENS)], "font-style:italic;font-size:0.8em;"
        else:
            fondo, extra = _COLORES_TOKENS[n % len(_COLORES_TOKENS)], ""
        visible = p["texto"] if p["clase"] != "normal" else _visible(p["texto"])
        contenido = html.escape(visible)
        if mostrar_ids:
            contenido += f'<br><span style="font-size:0.7em;color:#4a5568">{p["id"]}</span>'
        titulo = html.escape(f"token {n + 1} · id {p['id']} · {p['etiqueta']}", quote=True)
        partes.append(f'<span class="token-curso" title="{titulo}" style="{estilo_base};background:{fondo};{extra}">'
                      f"{contenido}</span>")
    palabras = len(texto.split())
    resumen = (f'<div style="font-size:0.85em;color:#4a5568;margin-top:4px">{len(piezas)} tokens · '
               f"{palabras} palabras · {len(texto)} caracteres</div>")
    return HTML(f'<div class="tokens-curso" style="line-height:2">{"".join(partes)}</div>{resumen}')


# ---------------------------------------------------------------- figuras

def _a_lista(valores, que: str) -> list:
    """Convierte tensores, arrays y listas a listas de Python."""
    if hasattr(valores, "detach"):
        valores = valores.detach().cpu()
    if hasattr(valores, "tolist"):
        valores = valores.tolist()
    try:
        return list(valores)
    except TypeError:
        raise ErrorCurso(f"{que} debe ser una lista, un array de NumPy o un tensor; recibí {type(valores).__name__}.") from None


def _numeros(valores) -> list:
    """Cada valor como ``float`` (``None`` si no es un número finito)."""
    salida = []
    for v in valores:
        try:
            v = None if isinstance(v, (str, bytes)) else float(v)
        except (TypeError, ValueError):
            v = None
        salida.append(v if v is not None and math.isfinite(v) else None)
    return salida


def _comprobar_etiquetas(tokens, cuantos: int, que: str) -> list[str]:
    if isinstance(tokens, str):
        raise ErrorCurso(f"Los tokens deben ser una lista de textos (uno por {que}), no un solo texto: "
                         "prueba con partir_en_tokens(tokenizador, texto).")
    tokens = [str(t) for t in _a_lista(tokens, "La lista de tokens")]
    if len(tokens) != cuantos:
        raise ErrorCurso(f"Hay {len(tokens)} tokens pero {cuantos} {que}s: necesito un token por {que}.")
    return tokens


def mapa_de_atencion(pesos, tokens, titulo: str | None = None, anotar: bool | None = None):
    """Mapa de calor de una matriz de atención ``[consultas, claves]``.

    La fila *i* dice cuánto atiende el token *i* a cada token (columnas); cada fila suma 1.
    ``pesos`` es una matriz cuadrada (lista, array o tensor) y ``tokens``, un texto por fila.
    Con ``anotar=True`` escribe el peso en cada casilla (por defecto, si hay 12 tokens o menos),
    salvo los ceros por encima de la diagonal, que son el futuro tapado por la máscara causal.
    Devuelve la ``Figure`` de matplotlib.
    """
    import matplotlib.pyplot as plt

    filas = _a_lista(pesos, "La matriz de pesos")
    if not filas or not all(isinstance(f, (list, tuple)) for f in filas) \
            or any(isinstance(v, (list, tuple)) for f in filas for v in f):
        raise ErrorCurso("Los pesos deben ser una matriz de 2 dimensiones [tokens, tokens]. Si tienes la salida "
                         "de output_attentions=True, elige capa, ejemplo y cabeza: atenciones[0][0, 0].")
    n = len(filas)
    if any(len(f) != n for f in filas):
        raise ErrorCurso(f"La matriz de atención debe ser cuadrada (un token que pregunta por cada token "
                         f"consultado); tiene {n} filas de longitudes {sorted({len(f) for f in filas})}.")
    filas = [_numeros(f) for f in filas]
    if any(v is None or v < 0 for f in filas for v in f):
        raise ErrorCurso("Los pesos de atención deben ser números finitos y no negativos (salen de un softmax). "
                         "¿Pasaste las puntuaciones antes del softmax?")
    etiquetas = [_visible(t) for t in _comprobar_etiquetas(tokens, n, "fila")]
    if anotar is None:
        anotar = n <= 12

    lado = min(1.6 + 0.45 * n, 9.0)
    fig, ax = plt.subplots(figsize=(lado + 1.2, lado))
    imagen = ax.imshow(filas, cmap="Blues", vmin=0.0, vmax=max(max(f) for f in filas) or 1.0)
    ax.set_xticks(range(n), etiquetas, rotation=60, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(n), etiquetas)
    ax.set_xlabel("token al que se atiende (clave)")
    ax.set_ylabel("token que pregunta (consulta)")
    ax.grid(False)
    if titulo:
        ax.set_title(titulo)
    barra = fig.colorbar(imagen, ax=ax, fraction=0.046, pad=0.04)
    barra.set_label("peso de atención")
    if anotar:
        tope = max(max(f) for f in filas) or 1.0
        for i, fila in enumerate(filas):
            for j, v in enumerate(fila):
                if v == 0 and j > i:
                    continue  # el futuro tapado por la máscara causal: sin número, más legible
                ax.text(j, i, f"{v:.2f}".replace(".", ","), ha="center", va="center", fontsize=7,
                        color="white" if v > 0.6 * tope else "#1a202c")
    fig.tight_layout()
    return fig


def barras_probabilidades(tokens, probabilidades, titulo: str | None = None, destacar: int | None = None):
    """Barras horizontales con la probabilidad de cada token candidato, la mayor arriba.

    ``tokens`` son los textos de los candidatos y ``probabilidades``, números entre 0 y 1
    (una lista, un array o un tensor). ``destacar`` es la posición de un candidato que se
    pinta de otro color (por ejemplo, el elegido). Devuelve la ``Figure`` de matplotlib.
    """
    import matplotlib.pyplot as plt

    valores = _a_lista(probabilidades, "Las probabilidades")
    if not valores:
        raise ErrorCurso("No hay nada que dibujar: la lista de probabilidades está vacía.")
    if any(isinstance(v, (list, tuple)) for v in valores):
        raise ErrorCurso("Las probabilidades deben ser una lista plana (una por token). Si tienes un tensor "
                         "[1, vocabulario], quédate con una fila: probabilidades[0].")
    valores = _numeros(valores)
    if any(v is None or v < 0 or v > 1 + 1e-6 for v in valores):
        raise ErrorCurso("Las probabilidades deben estar entre 0 y 1. Si tienes logits, pásalos antes por "
                         "torch.softmax(logits, dim=-1).")
    etiquetas = [f"«{_visible(t)}»" for t in _comprobar_etiquetas(tokens, len(valores), "probabilidad")]
    if destacar is not None and not (isinstance(destacar, int) and 0 <= destacar < len(valores)):
        raise ErrorCurso(f"destacar debe ser la posición de un candidato, entre 0 y {len(valores) - 1}; recibí {destacar!r}.")

    fig, ax = plt.subplots(figsize=(7.5, 0.8 + 0.38 * len(valores)))
    colores = ["#2b6cb0"] * len(valores)
    if destacar is not None:
        colores[destacar] = "#c05621"
    posiciones = list(range(len(valores)))
    ax.barh(posiciones, [100 * v for v in valores], color=colores)
    ax.set_yticks(posiciones, etiquetas)
    ax.invert_yaxis()  # el primero de la lista, arriba
    tope = 100 * max(valores)
    for y, v in zip(posiciones, valores):
        ax.text(100 * v + tope * 0.01, y, f"{100 * v:.1f} %".replace(".", ","), va="center", fontsize=9)
    ax.set_xlim(0, tope * 1.18 if tope > 0 else 1)
    ax.set_xlabel("probabilidad (%)")
    ax.grid(axis="y", visible=False)
    if titulo:
        ax.set_title(titulo)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- autoatención de referencia

def autoatencion_causal(x, w_q, w_k, w_v, cabezas: int, b_q=None, b_k=None, b_v=None, w_o=None, b_o=None):
    """Autoatención causal con ``cabezas`` cabezas, en PyTorch puro.

    - ``x``: ``[tokens, dim]`` o ``[lote, tokens, dim]``.
    - ``w_q``, ``w_k``, ``w_v``: matrices ``[dim, dim]`` que se aplican como ``x @ W + b``
      (la convención de las capas ``Conv1D`` de GPT-2); ``b_*``: sesgos opcionales ``[dim]``.
    - ``w_o``, ``b_o``: proyección de salida opcional (``c_proj`` en GPT-2).

    Devuelve ``(salida, pesos)``: ``salida`` con la forma de ``x`` y ``pesos`` con forma
    ``[lote, cabezas, tokens, tokens]`` (sin la dimensión de lote si ``x`` no la tenía).
    """
    import torch

    if not isinstance(x, torch.Tensor) or x.dim() not in (2, 3):
        forma = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
        raise ErrorCurso(f"x debe ser un tensor [tokens, dim] o [lote, tokens, dim]; recibí {forma}.")
    sin_lote = x.dim() == 2
    if sin_lote:
        x = x.unsqueeze(0)
    lote, n, dim = x.shape
    if not isinstance(cabezas, int) or isinstance(cabezas, bool) or cabezas < 1 or dim % cabezas:
        raise ErrorCurso(f"El número de cabezas debe ser un entero positivo que divida la dimensión ({dim}); "
                         f"recibí {cabezas!r}.")
    for nombre, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v)) + ((("w_o", w_o),) if w_o is not None else ()):
        if not isinstance(w, torch.Tensor) or tuple(w.shape) != (dim, dim):
            forma = tuple(w.shape) if isinstance(w, torch.Tensor) else type(w).__name__
            raise ErrorCurso(f"{nombre} debe ser una matriz [{dim}, {dim}] (dim × dim); recibí {forma}. "
                             "En GPT-2, separa c_attn.weight en tres con .split(dim, dim=1).")
    d_cabeza = dim // cabezas

    def proyectar(w, b):
        y = x @ w
        return y + b if b is not None else y

    def separar(t):  # [lote, n, dim] → [lote, cabezas, n, d_cabeza]
        return t.view(lote, n, cabezas, d_cabeza).transpose(1, 2)

    q, k, v = separar(proyectar(w_q, b_q)), separar(proyectar(w_k, b_k)), separar(proyectar(w_v, b_v))
    puntuaciones = q @ k.transpose(-2, -1) / math.sqrt(d_cabeza)
    futuro = torch.triu(torch.ones(n, n, dtype=torch.bool, device=x.device), diagonal=1)
    puntuaciones = puntuaciones.masked_fill(futuro, float("-inf"))
    pesos = torch.softmax(puntuaciones, dim=-1)
    salida = (pesos @ v).transpose(1, 2).reshape(lote, n, dim)
    if w_o is not None:
        salida = salida @ w_o
        if b_o is not None:
            salida = salida + b_o
    if sin_lote:
        return salida[0], pesos[0]
    return salida, pesos
