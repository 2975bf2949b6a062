"""Tokenizadores del curso, entrenados con ``tokenizers`` y envueltos para ``transformers``.

- ``entrenar_tokenizador_bpe``: BPE por bytes, como GPT-2.
- ``entrenar_tokenizador_wordpiece``: WordPiece con mayúsculas y tildes, como BETO, con un
  vocabulario reproducible (ver ``_vocabulario_wordpiece``).
- ``tokens_por_palabra``: cuántos tokens gasta un tokenizador por palabra.
"""

from __future__ import annotations

from .errores import ErrorCurso

#: El token de fin de texto de GPT-2 (y de los modelos GPT del curso).
FIN = "<|endoftext|>"


def entrenar_tokenizador_bpe(textos: list[str], vocabulario: int, contexto: int = 1024):
    """BPE por bytes (como GPT-2) entrenado sobre ``textos``, envuelto para ``transformers``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    if not textos or not any(t.strip() for t in textos):
        raise ErrorCurso("No puedo entrenar un tokenizador sin texto: el corpus está vacío.")
    if not isinstance(vocabulario, int) or vocabulario < 300:
        raise ErrorCurso(f"El vocabulario debe ser un entero de al menos 300 (los 256 bytes y algo más); recibí {vocabulario!r}.")
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    entrenador = trainers.BpeTrainer(
        vocab_size=vocabulario, min_frequency=2, special_tokens=[FIN],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(textos, entrenador)
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=FIN, eos_token=FIN, unk_token=FIN,
                                   model_max_length=contexto)


def entrenar_tokenizador_wordpiece(textos: list[str], vocabulario: int, contexto: int = 512):
    """WordPiece (como BERT), distinguiendo mayúsculas y con tildes, para ``transformers``."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    if not textos or not any(t.strip() for t in textos):
        raise ErrorCurso("No puedo entrenar un tokenizador sin texto: el corpus está vacío.")
    especiales = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    tok.model = models.WordPiece(vocab=_vocabulario_wordpiece(tok, textos, vocabulario, especiales),
                                 unk_token="[UNK]")
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=contexto)


#: Las letras que continúan una palabra se entrenan como letras «disfrazadas» en esta zona de uso
#: privado de Unicode (U+F0000 + código de la letra), para que BPE las trate como otras letras.
_CONTINUACION = 0xF0000


def _vocabulario_wordpiece(tok, textos: list[str], vocabulario: int, especiales: list[str]) -> dict[str, int]:
    """El vocabulario de WordPiece, aprendido de forma reproducible.

    ``WordPieceTrainer`` es BPE con el prefijo «##», pero numera las letras «##a», «##b»… en un
    orden que cambia en cada ejecución, y con él los empates entre fusiones: dos entrenamientos
    con el mismo texto daban vocabularios distintos (y mini BERT distintos). Aquí las letras de
    continuación se disfrazan de letras propias, BPE (que sí ordena su alfabeto) aprende las
    fusiones, y al final el disfraz se cambia por «##». Es el mismo algoritmo, sin azar.
    """
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    def disfrazar(palabra: str) -> str:
        return palabra[0] + "".join(chr(_CONTINUACION + ord(c)) for c in palabra[1:])

    def palabras():
        for texto in textos:
            trozos = tok.pre_tokenizer.pre_tokenize_str(tok.normalizer.normalize_str(texto))
            yield " ".join(disfrazar(p) for p, _ in trozos)

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    bpe.train_from_iterator(palabras(), trainers.BpeTrainer(vocab_size=vocabulario, special_tokens=especiales,
                                                             show_progress=False))

    def quitar_disfraz(pieza: str) -> str:
        prefijo = "##" if ord(pieza[0]) >= _CONTINUACION else ""  # empieza a mitad de palabra
        return prefijo + "".join(chr(ord(c) - _CONTINUACION) if ord(c) >= _CONTINUACION else c for c in pieza)

    por_id = sorted(bpe.get_vocab().items(), key=lambda x: x[1])
    return {quitar_disfraz(pieza): i for i, (pieza, _) in enumerate(por_id)}


def tokens_por_palabra(tokenizador, textos: list[str]) -> float:
    """Cuántos tokens produce el tokenizador por cada palabra (separada por espacios)."""
    tokens = sum(len(tokenizador(t, add_special_tokens=False)["input_ids"]) for t in textos)
    palabras = sum(len(t.split()) for t in textos)
    return tokens / max(palabras, 1)
