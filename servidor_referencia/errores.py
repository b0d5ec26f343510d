"""Errores del servidor: la misma raíz que la biblioteca (``ErrorVMRE``), con código HTTP.

Cada error lleva un ``Codigo`` estable (su valor viaja en el JSON de error y en las páginas),
un mensaje en español pensado para la persona que lo lee y, si ayuda, detalles públicos
(nombres de campos; nunca contraseñas, testigos ni secretos).
"""

from __future__ import annotations

import enum
from typing import Any

from vmre_crypto import ErrorVMRE


class Codigo(enum.Enum):
    """Códigos de error del servidor.  Nunca se renombran ni se reutilizan."""

    # Forma de la petición.
    JSON_MALFORMADO = "json_malformado"
    CUERPO_DEMASIADO_GRANDE = "cuerpo_demasiado_grande"
    TIPO_CONTENIDO = "tipo_de_contenido_invalido"
    CAMPO_FALTANTE = "campo_faltante"
    CAMPO_DESCONOCIDO = "campo_desconocido"
    TIPO_INVALIDO = "tipo_invalido"
    VALOR_INVALIDO = "valor_invalido"
    NO_ENCONTRADO = "no_encontrado"
    METODO_NO_PERMITIDO = "metodo_no_permitido"
    CONFLICTO = "conflicto"

    # Sesiones y permisos.
    NO_AUTENTICADO = "no_autenticado"
    SESION_EXPIRADA = "sesion_expirada"
    CREDENCIALES_INVALIDAS = "credenciales_invalidas"
    SEGUNDO_FACTOR_INVALIDO = "segundo_factor_invalido"
    ROL_NO_PERMITIDO = "rol_no_permitido"
    CSRF_INVALIDO = "csrf_invalido"
    DEMASIADOS_INTENTOS = "demasiados_intentos"
    CUENTA_INACTIVA = "cuenta_inactiva"

    # Enlaces de activación.
    ENLACE_INVALIDO = "enlace_invalido"
    ENLACE_USADO = "enlace_usado"
    ENLACE_EXPIRADO = "enlace_expirado"

    # SRVE.
    SOLICITUD_DUPLICADA = "solicitud_duplicada"
    CORREO_EN_USO = "correo_en_uso"
    TELEFONO_EN_USO = "telefono_en_uso"
    TRANSICION_INVALIDA = "transicion_invalida"
    PLAZO_VENCIDO = "plazo_vencido"
    NOMBRE_INVALIDO = "nombre_invalido"
    FECHA_NACIMIENTO_INVALIDA = "fecha_nacimiento_invalida"
    MENOR_DE_EDAD = "menor_de_edad"
    CLAVE_ELECTOR_INVALIDA = "clave_elector_invalida"
    CLAVE_ELECTOR_FECHA = "clave_elector_no_coincide_con_fecha"
    TIPO_CREDENCIAL_INVALIDO = "tipo_credencial_invalido"
    OCR_INVALIDO = "ocr_invalido"
    CIC_INVALIDO = "cic_invalido"
    ENTIDAD_INVALIDA = "entidad_invalida"
    PAIS_INVALIDO = "pais_invalido"
    DOMICILIO_INVALIDO = "domicilio_invalido"
    CORREO_INVALIDO = "correo_invalido"
    TELEFONO_INVALIDO = "telefono_invalido"
    MODALIDAD_INVALIDA = "modalidad_invalida"
    FOLIO_INVALIDO = "folio_invalido"
    DICTAMEN_INVALIDO = "dictamen_invalido"
    MOTIVO_INVALIDO = "motivo_improcedencia_invalido"
    CAMPOS_SUBSANAR_INVALIDOS = "campos_a_subsanar_invalidos"
    CAMPO_NO_SENALADO = "campo_no_senalado"

    # LNERE, cuentas y credenciales.
    CORTE_VACIO = "corte_vacio"
    DOCUMENTO_LNERE_INVALIDO = "documento_lnere_invalido"
    CORTE_NO_ELECTRONICO = "corte_no_electronico"
    CREDENCIALES_YA_CARGADAS = "credenciales_ya_cargadas"
    NUMERO_CREDENCIALES = "numero_de_credenciales_invalido"
    CREDENCIAL_INVALIDA = "credencial_invalida"
    CREDENCIAL_DUPLICADA = "credencial_duplicada"
    TELEFONO_NO_COINCIDE = "telefono_no_coincide"
    CUENTA_YA_ACTIVA = "cuenta_ya_activa"

    # SIVEI: apertura y votación (§20).
    APERTURA_ESTADO_INVALIDO = "apertura_estado_invalido"
    APERTURA_HASH_CONFIGURACION = "apertura_hash_configuracion"
    APERTURA_REGISTRO_LLAVES = "apertura_registro_llaves"
    APERTURA_CORTE_INTEGRIDAD = "apertura_corte_integridad"
    APERTURA_SIN_CREDENCIALES = "apertura_sin_credenciales"
    APERTURA_HASH_CREDENCIALES = "apertura_hash_credenciales"
    APERTURA_TABLERO_NO_VACIO = "apertura_tablero_no_vacio"
    VENTANA_INVALIDA = "ventana_votacion_invalida"
    VOTACION_NO_ABIERTA = "votacion_no_abierta"
    FUERA_DE_VENTANA = "fuera_de_ventana"
    ELECTOR_NO_HABILITADO = "elector_no_habilitado"
    SIN_BOLETA_PARA_ENTIDAD = "sin_boleta_para_entidad"
    ESTILO_NO_CORRESPONDE = "estilo_no_corresponde"
    BOLETA_INVALIDA = "boleta_invalida"
    CREDENCIAL_NO_REGISTRADA = "credencial_no_registrada"
    YA_VOTO = "ya_voto"
    CREDENCIAL_YA_USADA = "credencial_ya_usada"
    BOLETA_DUPLICADA = "boleta_duplicada"
    CIFRADO_DUPLICADO = "cifrado_duplicado"

    # SIVEI: configuración de la elección y ceremonia de llaves (§19).
    CONFIGURACION_INVALIDA = "configuracion_eleccion_invalida"
    MANIFIESTO_INVALIDO = "manifiesto_invalido"
    PROCESO_ESTADO_INVALIDO = "proceso_estado_invalido"
    CUSTODIO_YA_ASIGNADO = "custodio_ya_asignado"
    CUSTODIO_NO_ASIGNADO = "custodio_no_asignado"
    CEREMONIA_DOCUMENTO_INVALIDO = "ceremonia_documento_invalido"
    CEREMONIA_INDICE_AJENO = "ceremonia_indice_ajeno"
    CEREMONIA_MENSAJE_DUPLICADO = "ceremonia_mensaje_duplicado"
    CEREMONIA_FUERA_DE_ORDEN = "ceremonia_fuera_de_orden"
    CEREMONIA_PRUEBA_INVALIDA = "ceremonia_prueba_invalida"
    CEREMONIA_REGISTRO_DISCREPANTE = "ceremonia_registro_discrepante"
    CEREMONIA_DETENIDA = "ceremonia_detenida"

    # SIVEI: cierre, cómputo y resultados (§21).
    CIERRE_ESTADO_INVALIDO = "cierre_estado_invalido"
    COMPUTO_ESTADO_INVALIDO = "computo_estado_invalido"
    COMPUTO_CUORUM_INCOMPLETO = "computo_cuorum_incompleto"
    COMPUTO_FUERA_DE_CUORUM = "computo_fuera_de_cuorum"
    COMPUTO_CUSTODIO_EXCLUIDO = "computo_custodio_excluido"
    COMPUTO_RONDA_VIEJA = "computo_ronda_vieja"
    COMPUTO_DOCUMENTO_INVALIDO = "computo_documento_invalido"
    COMPUTO_MENSAJE_DUPLICADO = "computo_mensaje_duplicado"
    COMPUTO_RETOS_PENDIENTES = "computo_retos_pendientes"
    COMPUTO_RELEVO_INVALIDO = "computo_relevo_invalido"
    COMPUTO_RELEVO_PREMATURO = "computo_relevo_prematuro"
    RESULTADOS_NO_DISPONIBLES = "resultados_no_disponibles"

    ERROR_INTERNO = "error_interno"


class ErrorServidor(ErrorVMRE):
    """Error del servidor con código estable y estado HTTP."""

    def __init__(self, codigo: Codigo, mensaje: str, estado: int = 400, **detalles: Any) -> None:
        Exception.__init__(self, mensaje)
        self.motivo = codigo  # type: ignore[assignment]  # mismo contrato: .value es el código
        self.codigo = codigo
        self.mensaje = mensaje
        self.estado = estado
        self.detalles = detalles


def no_encontrado(que: str) -> ErrorServidor:
    return ErrorServidor(Codigo.NO_ENCONTRADO, f"No se encontró {que}.", 404)


def prohibido() -> ErrorServidor:
    return ErrorServidor(Codigo.ROL_NO_PERMITIDO, "Su rol no permite esta operación.", 403)
