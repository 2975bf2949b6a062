#!/bin/sh
# Elige el Python con el que `make` crea .venv e imprime su ruta.
#
#   sh herramientas/elegir_python.sh            → el primero adecuado de python3.11,
#                                                 python3.12, python3.13 y python3
#   sh herramientas/elegir_python.sh /ruta/py   → ese (lo que pasas con PYTHON=)
#
# Adecuado: Python 3.11, 3.12 o 3.13 que ejecuta de verdad (un «shim» de pyenv de una
# versión no activada no cuenta) y trae venv y ensurepip (en Debian y Ubuntu vienen en
# el paquete python3.X-venv). Si no hay ninguno, imprime en stderr una línea en español
# que dice qué instalar y termina con 1. POSIX sh: corre igual en Linux, macOS y WSL.

VERSIONES="3.11 3.12 3.13"

version_de() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

admitida() {
    for v in $VERSIONES; do
        [ "$1" = "$v" ] && return 0
    done
    return 1
}

tiene_venv() {
    "$1" -c 'import venv, ensurepip' >/dev/null 2>&1
}

ruta_de() {
    "$1" -c 'import sys; print(sys.executable)'
}

instalar_venv() {
    echo "Python $2 ($1) no trae el módulo venv. Instálalo (Debian/Ubuntu: sudo apt-get install python$2-venv) o elige otro con PYTHON=/ruta/a/python3." >&2
}

if [ -n "$1" ]; then
    version=$(version_de "$1")
    if [ -z "$version" ]; then
        echo "PYTHON=$1 no es un Python que pueda ejecutar. Indica la ruta de Python 3.11, 3.12 o 3.13, por ejemplo PYTHON=/usr/bin/python3.12." >&2
        exit 1
    fi
    if ! admitida "$version"; then
        echo "PYTHON=$1 es Python $version y el curso necesita 3.11, 3.12 o 3.13. Instala una de esas versiones o indica otra con PYTHON=." >&2
        exit 1
    fi
    if ! tiene_venv "$1"; then
        instalar_venv "$1" "$version"
        exit 1
    fi
    ruta_de "$1"
    exit 0
fi

sin_venv=""
for candidato in python3.11 python3.12 python3.13 python3; do
    command -v "$candidato" >/dev/null 2>&1 || continue
    version=$(version_de "$candidato")
    admitida "$version" || continue
    if tiene_venv "$candidato"; then
        ruta_de "$candidato"
        exit 0
    fi
    [ -n "$sin_venv" ] || sin_venv="$candidato $version"
done

if [ -n "$sin_venv" ]; then
    instalar_venv $sin_venv
else
    echo "No encuentro Python 3.11, 3.12 ni 3.13. Instala uno (Debian/Ubuntu: sudo apt-get install python3 python3-venv; macOS: brew install python@3.13) o indica cuál usar con PYTHON=/ruta/a/python3." >&2
fi
exit 1
