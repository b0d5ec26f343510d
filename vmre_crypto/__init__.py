"""vmre_crypto: biblioteca criptográfica del voto por internet de las y los mexicanos residentes en el extranjero.

Nivel de elección (esta API pública, la que usan el servidor y el verificador):
configuración y manifiesto, ceremonia de llaves, credenciales, boletas, escrutinio,
descifrado por umbral y serialización canónica.  Las primitivas peligrosas (grupo, hash,
ElGamal, pruebas) viven en ``vmre_crypto.primitivas`` para la propia biblioteca y para
auditores.  Especificación: ``especificacion/`` (versión ``VERSION_ESPECIFICACION``).
"""

from .boletas import (
    AperturaBoleta,
    BoletaCifrada,
    BoletaPreparada,
    ContiendaCifrada,
    SeleccionCifrada,
    abrir_boleta,
    abrir_selecciones,
    cifrar_boleta,
    verificar_boleta,
)
from .ceremonia import (
    ComparticionCifrada,
    CompromisosCustodio,
    ConfirmacionComparticiones,
    ConfirmacionRegistro,
    CoordinadorCeremonia,
    Custodio,
    EstadoCustodio,
    LlaveCustodio,
    Queja,
    RegistroLlaves,
    ceremonia_en_proceso,
    construir_registro,
    verificar_compromisos,
)
from .credenciales import (
    ParCredencial,
    codificar_credencial_secreta,
    decodificar_credencial_secreta,
    decodificar_credenciales_publicas,
    generar_credencial,
    hash_lista_credenciales,
    hash_lista_credenciales_del_grupo,
)
from .descifrado import (
    CombinadorDescifrado,
    DescifradoCompleto,
    DescifradoParcial,
    DescifradorCustodio,
    OpcionDescifrada,
    RespuestaDescifrado,
    ResultadoDescifrado,
    RetosDescifrado,
    descifrar_con_mensajes,
    descifrar_en_proceso,
    verificar_resultado,
)
from .eleccion import ConfiguracionEleccion, ContextoEleccion
from .errores import (
    ErrorBoleta,
    ErrorCeremonia,
    ErrorDecodificacion,
    ErrorDescifrado,
    ErrorVerificacion,
    ErrorVMRE,
    Motivo,
)
from .escrutinio import EscrutinioCifrado, EscrutinioContienda, acumular
from .manifiesto import Contienda, EstiloBoleta, Manifiesto, Opcion
from .primitivas.grupo import GRUPO_ESTANDAR, ElementoP, ElementoQ, Grupo
from .registro.documentos import (
    ActaComputo,
    ActaInicio,
    BoletaDesafiada,
    ListaCredenciales,
    ParteCredenciales,
    ResultadoContienda,
)
from .registro.escritor import ARCHIVO_TABLERO, EscritorRegistro, reloj_fijo, reloj_utc
from .registro.tablero import EntradaTablero, leer_tablero
from .serializacion import VERSION_ESPECIFICACION, a_json, desde_json, deserializar, serializar, texto_canonico
from .verificador.informe import Informe
from .verificador.verificar import ErrorEntrada, verificar_registro

__version__ = "0.1.0"

__all__ = [
    "ARCHIVO_TABLERO",
    "GRUPO_ESTANDAR",
    "VERSION_ESPECIFICACION",
    "ActaComputo",
    "ActaInicio",
    "AperturaBoleta",
    "BoletaCifrada",
    "BoletaDesafiada",
    "BoletaPreparada",
    "CombinadorDescifrado",
    "ComparticionCifrada",
    "CompromisosCustodio",
    "ConfiguracionEleccion",
    "ConfirmacionComparticiones",
    "ConfirmacionRegistro",
    "ContextoEleccion",
    "Contienda",
    "ContiendaCifrada",
    "CoordinadorCeremonia",
    "Custodio",
    "DescifradoCompleto",
    "DescifradoParcial",
    "DescifradorCustodio",
    "ElementoP",
    "ElementoQ",
    "EntradaTablero",
    "ErrorBoleta",
    "ErrorCeremonia",
    "ErrorDecodificacion",
    "ErrorDescifrado",
    "ErrorEntrada",
    "ErrorVMRE",
    "ErrorVerificacion",
    "EscritorRegistro",
    "EscrutinioCifrado",
    "EscrutinioContienda",
    "EstadoCustodio",
    "EstiloBoleta",
    "Grupo",
    "Informe",
    "ListaCredenciales",
    "LlaveCustodio",
    "Manifiesto",
    "Motivo",
    "Opcion",
    "OpcionDescifrada",
    "ParCredencial",
    "ParteCredenciales",
    "Queja",
    "RegistroLlaves",
    "RespuestaDescifrado",
    "ResultadoContienda",
    "ResultadoDescifrado",
    "RetosDescifrado",
    "SeleccionCifrada",
    "a_json",
    "abrir_boleta",
    "abrir_selecciones",
    "acumular",
    "ceremonia_en_proceso",
    "cifrar_boleta",
    "codificar_credencial_secreta",
    "construir_registro",
    "decodificar_credencial_secreta",
    "decodificar_credenciales_publicas",
    "descifrar_con_mensajes",
    "descifrar_en_proceso",
    "desde_json",
    "deserializar",
    "generar_credencial",
    "hash_lista_credenciales",
    "hash_lista_credenciales_del_grupo",
    "leer_tablero",
    "reloj_fijo",
    "reloj_utc",
    "serializar",
    "texto_canonico",
    "verificar_boleta",
    "verificar_compromisos",
    "verificar_registro",
    "verificar_resultado",
]
