"""WeChat's message encryption written from the published scheme, independently of wechatpy.

AES-256-CBC, key = base64(EncodingAESKey + "="), IV = key[:16], PKCS#7 padding to 32 bytes;
plaintext = 16 random bytes + 4-byte big-endian length + message + appid;
signature = sha1 of the sorted concatenation of token, timestamp, nonce and the ciphertext.
"""

import base64
import hashlib
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def sign(*parts):
    """WeChat's SHA-1 over the sorted parts."""
    return hashlib.sha1("".join(sorted(str(p) for p in parts)).encode()).hexdigest()


def _key(aes_key):
    key = base64.b64decode(aes_key + "=")
    assert len(key) == 32
    return key


def encrypt(aes_key, appid, message):
    """Base64 ciphertext of message for appid."""
    key = _key(aes_key)
    body = message.encode()
    plain = os.urandom(16) + struct.pack(">I", len(body)) + body + appid.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def decrypt(aes_key, appid, ciphertext):
    """The message inside a base64 ciphertext; checks the appid."""
    key = _key(aes_key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()
    plain = plain[: -plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    message, tail = plain[20 : 20 + length], plain[20 + length :]
    assert tail.decode() == appid, f"reply is for appid {tail!r}"
    return message.decode()
