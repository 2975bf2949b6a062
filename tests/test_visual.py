"""Ayudantes visuales del capítulo 2 y la autoatención hecha a mano frente a GPT-2 real.

Nada de esto necesita modelos en caché: los tokenizadores se entrenan aquí con unas
frases y el GPT-2 es uno diminuto con pesos al azar.
"""

from __future__ import annotations

import html

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

import curso_llm  # noqa: E402
from curso_llm import visual  # noqa: E402
from curso_llm.errores import ErrorCurso  # noqa: E402
from curso_llm.modelos_locales import entrenar_tokenizador_bpe, entrenar_tokenizador_wordpiece  # noqa: E402

FRASES = [
    "El gato duerme en la alfombra de la sala.",
    "La gata come pescado en la cocina de la abuela.",
    "Los niños leen cuentos en la biblioteca del pueblo.",
    "Mañana lloverá en la sierra y hará frío en la costa.",
    "El perro ladra cuando llega el cartero con las cartas.",
] * 3


@pytest.fixture(scope="module")
def bpe():
    """BPE por bytes (como GPT-2), envuelto para transformers."""
    return entrenar_tokenizador_bpe(FRASES, 300)


@pytest.fixture(scope="module")
def wordpiece():
    """WordPiece (como BERT), con [CLS] y [SEP]."""
    return entrenar_tokenizador_wordpiece(FRASES, 200)


@pytest.fixture(autouse=True)
def cerrar_figuras():
    yield
    plt.close("all")


def _fichas(html_texto: str) -> int:
    return html_texto.count('class="token-curso"')


# ---------------------------------------------------------------- tokens

def test_las_piezas_recomponen_el_texto(bpe):
    texto = "El gato come pescado en la cocina."
    piezas = curso_llm.partir_en_tokens(bpe, texto)
    assert "".join(piezas) == texto  # en BPE por bytes el espacio viaja pegado al token
    assert len(piezas) == len(bpe(texto, add_special_tokens=False)["input_ids"])


def test_colorear_tokens_muestra_cada_token(bpe):
    texto = "La abuela come pescado."
    vista = curso_llm.colorear_tokens(bpe, texto)
    ids = bpe(texto, add_special_tokens=False)["input_ids"]
    assert type(vista).__name__ == "HTML"
    assert _fichas(vista.data) == len(ids)
    for pieza in curso_llm.partir_en_tokens(bpe, texto):
        assert html.escape(pieza.replace(" ", "␣")) in vista.data
    assert f"{len(ids)} tokens · 4 palabras" in vista.data


def test_colorear_tokens_con_ids(bpe):
    texto = "El perro ladra."
    vista = curso_llm.colorear_tokens(bpe, texto, mostrar_ids=True)
    for i in bpe(texto, add_special_tokens=False)["input_ids"]:
        assert f">{i}</span>" in vista.data


def test_colorear_tokens_escapa_el_html(bpe):
    vista = curso_llm.colorear_tokens(bpe, "<b>hola</b> & adiós")
    assert "<b>" not in vista.data and "&lt;" in vista.data and "&amp;" in vista.data


def test_un_emoji_se_parte_en_bytes(bpe):
    """Un carácter que el tokenizador no conoce entero se reparte en varios tokens de byte."""
    texto = "Pizza 🍕"
    ids = bpe(texto, add_special_tokens=False)["input_ids"]
    piezas = curso_llm.partir_en_tokens(bpe, texto)
    assert len(piezas) == len(ids)
    assert piezas.count("+byte") >= 1 and "🍕" in "".join(piezas)
    assert _fichas(curso_llm.colorear_tokens(bpe, texto).data) == len(ids)


def test_tokens_especiales_de_bert(wordpiece):
    texto = "El gato duerme."
    sin = curso_llm.partir_en_tokens(wordpiece, texto)
    con = curso_llm.partir_en_tokens(wordpiece, texto, especiales=True)
    assert con == ["[CLS]", *sin, "[SEP]"]
    vista = curso_llm.colorear_tokens(wordpiece, texto, especiales=True)
    assert "[CLS]" in vista.data and "[SEP]" in vista.data
    assert _fichas(vista.data) == len(wordpiece(texto)["input_ids"])
    # En WordPiece los espacios no son parte de ningún token: quedan fuera de las fichas.
    assert "␣" not in vista.data


def test_acepta_un_tokenizador_de_la_biblioteca_tokenizers(bpe):
    crudo = bpe.backend_tokenizer  # un tokenizers.Tokenizer
    texto = "La gata come."
    assert curso_llm.partir_en_tokens(crudo, texto) == curso_llm.partir_en_tokens(bpe, texto)


@pytest.mark.parametrize("texto", ["", None, 42, ["una", "lista"]])
def test_texto_invalido(bpe, texto):
    with pytest.raises(ErrorCurso, match="El texto debe ser una cadena no vacía"):
        curso_llm.colorear_tokens(bpe, texto)


def test_tokenizador_invalido():
    with pytest.raises(ErrorCurso, match=r"No sé usar un str como tokenizador\. Pásame uno de transformers"):
        curso_llm.colorear_tokens("gpt2", "Hola")


# ---------------------------------------------------------------- mapa de atención

def test_mapa_de_atencion_tiene_una_casilla_por_par_de_tokens():
    tokens = ["El", " gato", " duerme", "."]
    pesos = torch.softmax(torch.randn(4, 4), dim=-1)
    fig = curso_llm.mapa_de_atencion(pesos, tokens, titulo="Capa 1, cabeza 2")
    ax = fig.axes[0]
    (imagen,) = ax.get_images()
    assert imagen.get_array().shape == (4, 4)
    assert torch.allclose(torch.tensor(imagen.get_array().data, dtype=torch.float32), pesos, atol=1e-6)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["El", "␣gato", "␣duerme", "."]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["El", "␣gato", "␣duerme", "."]
    assert ax.get_title() == "Capa 1, cabeza 2"
    assert "consulta" in ax.get_ylabel() and "clave" in ax.get_xlabel()
    assert len(ax.texts) == 16  # con 12 tokens o menos, anota cada casilla
    assert fig.axes[1].get_ylabel() == "peso de atención"  # la barra de color


def test_mapa_de_atencion_no_anota_el_futuro_enmascarado():
    _, pesos = curso_llm.autoatencion_causal(torch.randn(4, 8), *[torch.randn(8, 8) for _ in range(3)], cabezas=1)
    fig = curso_llm.mapa_de_atencion(pesos[0], ["a", "b", "c", "d"])
    assert len(fig.axes[0].texts) == 10  # 4 + 3 + 2 + 1: el triángulo de abajo, con la diagonal


def test_mapa_de_atencion_grande_no_anota_y_acepta_listas():
    n = 15
    pesos = [[1.0 / n] * n for _ in range(n)]
    fig = curso_llm.mapa_de_atencion(pesos, [f"t{i}" for i in range(n)])
    assert len(fig.axes[0].texts) == 0 and fig.axes[0].get_images()[0].get_array().shape == (n, n)


@pytest.mark.parametrize(
    "pesos,tokens,mensaje",
    [
        (torch.ones(2, 3) / 3, ["a", "b"], "debe ser cuadrada"),
        (torch.ones(3, 3) / 3, ["a", "b"], "Hay 2 tokens pero 3 filas"),
        (torch.ones(1, 2, 3, 3), ["a", "b", "c"], "matriz de 2 dimensiones"),
        (torch.tensor([[1.0, -2.0], [0.5, 0.5]]), ["a", "b"], "finitos y no negativos"),
        (torch.tensor([[1.0, float("nan")], [0.5, 0.5]]), ["a", "b"], "finitos y no negativos"),
        (torch.ones(2, 2) / 2, "ab", "no un solo texto"),
        ([], [], "matriz de 2 dimensiones"),
    ],
)
def test_mapa_de_atencion_explica_la_entrada_mala(pesos, tokens, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        curso_llm.mapa_de_atencion(pesos, tokens)


# ---------------------------------------------------------------- barras

def test_barras_probabilidades_una_barra_por_token():
    tokens = [" alfombra", " silla", " cocina", " puerta", " calle"]
    probs = torch.tensor([0.4, 0.25, 0.15, 0.1, 0.05])
    fig = curso_llm.barras_probabilidades(tokens, probs, titulo="¿Qué sigue?", destacar=1)
    ax = fig.axes[0]
    barras = ax.patches
    assert len(barras) == 5
    assert [round(b.get_width(), 4) for b in barras] == [40.0, 25.0, 15.0, 10.0, 5.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["«␣alfombra»", "«␣silla»", "«␣cocina»", "«␣puerta»",
                                                           "«␣calle»"]
    assert ax.get_title() == "¿Qué sigue?"
    assert "40,0 %" in [t.get_text() for t in ax.texts]
    assert barras[1].get_facecolor() != barras[0].get_facecolor()  # el destacado
    assert ax.yaxis_inverted()  # el más probable arriba


@pytest.mark.parametrize(
    "tokens,probs,extra,mensaje",
    [
        (["a", "b"], [0.5], {}, "Hay 2 tokens pero 1 probabilidad"),
        (["a"], [1.5], {}, "entre 0 y 1"),
        (["a"], [-0.1], {}, "entre 0 y 1"),
        (["a"], ["mucho"], {}, "entre 0 y 1"),
        ([], [], {}, "está vacía"),
        (["a", "b"], [[0.5, 0.5]], {}, "lista plana"),
        (["a", "b"], [0.5, 0.5], {"destacar": 2}, "destacar debe ser la posición"),
        (["a"], 0.5, {}, "debe ser una lista"),
    ],
)
def test_barras_probabilidades_explica_la_entrada_mala(tokens, probs, extra, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        curso_llm.barras_probabilidades(tokens, probs, **extra)


# ---------------------------------------------------------------- autoatención frente a GPT-2

DIM, CABEZAS = 32, 2


@pytest.fixture(scope="module")
def gpt2_diminuto():
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    config = GPT2Config(vocab_size=64, n_positions=16, n_embd=DIM, n_layer=2, n_head=CABEZAS,
                        bos_token_id=0, eos_token_id=0, attn_implementation="eager")
    modelo = GPT2LMHeadModel(config).eval()
    assert modelo.config._attn_implementation == "eager"  # output_attentions necesita «eager»
    return modelo


def _entradas_y_salidas_de_atencion(modelo, ids):
    """Ejecuta el modelo y captura lo que entra y sale de la atención de cada capa."""
    capturas = []

    def gancho(modulo, args, kwargs, salida):
        entrada = args[0] if args else kwargs["hidden_states"]
        capturas.append((entrada.detach(), salida[0].detach()))

    manijas = [bloque.attn.register_forward_hook(gancho, with_kwargs=True) for bloque in modelo.transformer.h]
    try:
        with torch.no_grad():
            salida = modelo(input_ids=ids, output_attentions=True)
    finally:
        for m in manijas:
            m.remove()
    return salida, capturas


def _pesos_de(bloque):
    """Separa el c_attn de GPT-2 ([dim, 3·dim], y = x @ W + b) en Q, K y V."""
    w_q, w_k, w_v = bloque.attn.c_attn.weight.split(DIM, dim=1)
    b_q, b_k, b_v = bloque.attn.c_attn.bias.split(DIM)
    return dict(w_q=w_q, w_k=w_k, w_v=w_v, b_q=b_q, b_k=b_k, b_v=b_v,
                w_o=bloque.attn.c_proj.weight, b_o=bloque.attn.c_proj.bias)


def _a_mano(x, w_q, w_k, w_v, b_q, b_k, b_v, w_o, b_o, cabezas):
    """Autoatención causal escrita de cero, operación por operación, como en el capítulo."""
    n, d = x.shape[-2], x.shape[-1]
    d_cabeza = d // cabezas
    q, k, v = x @ w_q + b_q, x @ w_k + b_k, x @ w_v + b_v
    # [lote, tokens, dim] → [lote, cabezas, tokens, d_cabeza]
    q, k, v = (t.view(*t.shape[:-1], cabezas, d_cabeza).transpose(-3, -2) for t in (q, k, v))
    puntuaciones = q @ k.transpose(-2, -1) / d_cabeza**0.5
    mascara = torch.tril(torch.ones(n, n)) == 0  # True donde está el futuro
    pesos = torch.softmax(puntuaciones.masked_fill(mascara, float("-inf")), dim=-1)
    mezcla = (pesos @ v).transpose(-3, -2).reshape(*x.shape)  # se vuelven a juntar las cabezas
    return mezcla @ w_o + b_o, pesos


@pytest.mark.parametrize("implementacion", ["a_mano", "curso_llm"])
def test_autoatencion_desde_cero_reproduce_gpt2(gpt2_diminuto, implementacion):
    torch.manual_seed(1)
    ids = torch.randint(0, 64, (2, 9))
    salida, capturas = _entradas_y_salidas_de_atencion(gpt2_diminuto, ids)
    assert len(salida.attentions) == len(capturas) == 2
    for capa, (bloque, (x, esperada)) in enumerate(zip(gpt2_diminuto.transformer.h, capturas)):
        with torch.no_grad():
            if implementacion == "a_mano":
                propia, pesos = _a_mano(x, **_pesos_de(bloque), cabezas=CABEZAS)
            else:
                propia, pesos = curso_llm.autoatencion_causal(x, cabezas=CABEZAS, **_pesos_de(bloque))
        assert pesos.shape == salida.attentions[capa].shape == (2, CABEZAS, 9, 9)
        assert torch.allclose(pesos, salida.attentions[capa], atol=1e-5), f"pesos de la capa {capa}"
        assert torch.allclose(propia, esperada, atol=1e-5), f"salida de la capa {capa}"


def test_la_entrada_de_la_primera_capa_es_embedding_mas_posicion(gpt2_diminuto):
    ids = torch.tensor([[5, 9, 2, 33]])
    _, capturas = _entradas_y_salidas_de_atencion(gpt2_diminuto, ids)
    t = gpt2_diminuto.transformer
    with torch.no_grad():
        h = t.wte(ids) + t.wpe(torch.arange(4))  # qué token es + en qué posición está
        esperada = t.h[0].ln_1(h)  # GPT-2 normaliza antes de la atención
    assert torch.allclose(capturas[0][0], esperada, atol=1e-6)


def test_autoatencion_causal_no_mira_el_futuro():
    torch.manual_seed(2)
    w = [torch.randn(8, 8) for _ in range(3)]
    x = torch.randn(5, 8)
    salida, pesos = curso_llm.autoatencion_causal(x, *w, cabezas=2)
    assert pesos.shape == (2, 5, 5) and salida.shape == (5, 8)
    assert torch.all(torch.triu(pesos, diagonal=1) == 0)
    assert torch.allclose(pesos.sum(-1), torch.ones(2, 5))
    assert torch.allclose(pesos[:, 0, 0], torch.ones(2))  # el primer token solo se ve a sí mismo
    # Cambiar el último token no cambia nada de lo anterior.
    otra = x.clone()
    otra[-1] = torch.randn(8)
    salida2, _ = curso_llm.autoatencion_causal(otra, *w, cabezas=2)
    assert torch.allclose(salida[:-1], salida2[:-1]) and not torch.allclose(salida[-1], salida2[-1])


@pytest.mark.parametrize(
    "x,pesos,cabezas,mensaje",
    [
        (torch.randn(8), [torch.randn(8, 8)] * 3, 2, r"x debe ser un tensor \[tokens, dim\]"),
        ([[1.0] * 8], [torch.randn(8, 8)] * 3, 2, r"x debe ser un tensor"),
        (torch.randn(3, 8), [torch.randn(8, 8)] * 3, 3, "debe ser un entero positivo que divida la dimensión"),
        (torch.randn(3, 8), [torch.randn(8, 8)] * 3, 0, "debe ser un entero positivo"),
        (torch.randn(3, 8), [torch.randn(8, 24), torch.randn(8, 8), torch.randn(8, 8)], 2,
         r"w_q debe ser una matriz \[8, 8\].*split"),
    ],
)
def test_autoatencion_causal_explica_la_entrada_mala(x, pesos, cabezas, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        curso_llm.autoatencion_causal(x, *pesos, cabezas=cabezas)


def test_lo_publico_se_exporta():
    for nombre in ["colorear_tokens", "partir_en_tokens", "mapa_de_atencion", "barras_probabilidades",
                   "autoatencion_causal"]:
        assert nombre in curso_llm.__all__ and getattr(curso_llm, nombre) is getattr(visual, nombre)
