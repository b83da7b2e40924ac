"""Object storage: one `ObjectStore` interface, a local-folder and an S3 implementation.

Use `create_store(settings)`; callers lay keys out as `{tenant_id}/datasets/{dataset_id}/...`.
"""

from chatdata.storage.base import ObjectInfo, ObjectStore, ObjectWriter
from chatdata.storage.factory import create_store
from chatdata.storage.keys import InvalidObjectKey, validate_key
from chatdata.storage.local import LocalStore
from chatdata.storage.s3 import S3Store
from chatdata.storage.s3_client import S3Options

__all__ = [
    "InvalidObjectKey",
    "LocalStore",
    "ObjectInfo",
    "ObjectStore",
    "ObjectWriter",
    "S3Options",
    "S3Store",
    "create_store",
    "validate_key",
]
