"""Ayudantes del curso «LLMs sin barreras».

Importa este paquete antes que ``transformers``: así, en modo local, las bibliotecas
de Hugging Face quedan sin red desde el principio.
"""

from .modo import aplicar_modo as _aplicar_modo

_aplicar_modo()

from .ajuste import (  # noqa: E402
    bloques_causales,
    historial,
    linea_base_mayoritaria,
    metricas_de_clasificacion,
    opciones_de_dispositivo,
    perplejidad,
    usar_barra_del_curso,
)
from .capitulo import cifra, fijar_semillas, iniciar_capitulo, pegar  # noqa: E402
from .compartir import (  # noqa: E402
    datos_del_modelo,
    describir_cache_hub,
    escribir_ficha,
    ficha_del_modelo,
    listar_archivos,
    subir_al_hub,
    tabla_archivos,
    tamano_legible,
)
from .diagramas import diagramas_disponibles, mostrar_diagrama  # noqa: E402
from .eficiencia import a_capas_lineales, parametros, tamano_en_disco, tokens_por_segundo  # noqa: E402
from .dispositivo import describir_dispositivo, elegir_dispositivo, mover, precision_mixta  # noqa: E402
from .errores import (  # noqa: E402
    ErrorCurso,
    ModoInvalido,
    QuizInvalido,
    RecursoDesconocido,
    RecursoNoDisponible,
    TokenInvalido,
)
from .instrucciones import (  # noqa: E402
    a_conversaciones,
    a_pares_de_preferencia,
    acierto_de_preferencias,
    cuota_de_plantilla,
    logprob_respuesta,
    poner_plantilla_de_chat,
    responder,
)
from .modo import carpeta_cache, describir_modo, en_colab, modo_actual  # noqa: E402
from .preparacion import (  # noqa: E402
    cargar_textos_propios,
    contar_clases,
    dividir_conjunto,
    elegir_corte,
    limpiar_textos,
    longitudes_en_tokens,
)
from .quiz import cargar_quiz, mostrar_quiz, quizzes_disponibles  # noqa: E402
from .recursos import cargar_conjunto, describir_recursos, normalizar_sesgo_genero, ruta_modelo  # noqa: E402
from .seguimiento import carpeta_wandb, ejecuciones_wandb, leer_ejecucion_wandb  # noqa: E402
from .sesion import iniciar_sesion_hf, iniciar_sesion_wandb, preparar_wandb  # noqa: E402
from .visual import (  # noqa: E402
    autoatencion_causal,
    barras_probabilidades,
    colorear_tokens,
    mapa_de_atencion,
    partir_en_tokens,
)

__version__ = "0.2.0"

__all__ = [
    "ErrorCurso",
    "ModoInvalido",
    "QuizInvalido",
    "RecursoDesconocido",
    "RecursoNoDisponible",
    "TokenInvalido",
    "a_capas_lineales",
    "a_conversaciones",
    "a_pares_de_preferencia",
    "acierto_de_preferencias",
    "autoatencion_causal",
    "barras_probabilidades",
    "bloques_causales",
    "cargar_conjunto",
    "cargar_quiz",
    "cargar_textos_propios",
    "carpeta_cache",
    "carpeta_wandb",
    "cifra",
    "colorear_tokens",
    "contar_clases",
    "cuota_de_plantilla",
    "datos_del_modelo",
    "describir_cache_hub",
    "describir_dispositivo",
    "describir_modo",
    "describir_recursos",
    "diagramas_disponibles",
    "dividir_conjunto",
    "ejecuciones_wandb",
    "elegir_corte",
    "elegir_dispositivo",
    "en_colab",
    "escribir_ficha",
    "ficha_del_modelo",
    "fijar_semillas",
    "historial",
    "iniciar_capitulo",
    "iniciar_sesion_hf",
    "iniciar_sesion_wandb",
    "leer_ejecucion_wandb",
    "limpiar_textos",
    "linea_base_mayoritaria",
    "listar_archivos",
    "logprob_respuesta",
    "longitudes_en_tokens",
    "mapa_de_atencion",
    "metricas_de_clasificacion",
    "modo_actual",
    "mostrar_diagrama",
    "mostrar_quiz",
    "mover",
    "normalizar_sesgo_genero",
    "opciones_de_dispositivo",
    "parametros",
    "partir_en_tokens",
    "pegar",
    "perplejidad",
    "poner_plantilla_de_chat",
    "precision_mixta",
    "preparar_wandb",
    "quizzes_disponibles",
    "responder",
    "ruta_modelo",
    "subir_al_hub",
    "tabla_archivos",
    "tamano_en_disco",
    "tamano_legible",
    "tokens_por_segundo",
    "usar_barra_del_curso",
]
