"""Where uploaded files (the PTCEs' logos) are stored: an S3-compatible bucket when
``AWS_STORAGE_BUCKET_NAME`` is set, else the given default (local files under
``MEDIA_ROOT``). Static files are never concerned.

Variables (an empty value counts as unset):

- ``AWS_STORAGE_BUCKET_NAME``: the bucket; switches uploads to S3 (django-storages).
- ``AWS_S3_ENDPOINT_URL``: the provider's endpoint for a non-AWS service
  (``https://s3.fr-par.scw.cloud``, ``https://s3.gra.io.cloud.ovh.net``, a MinIO…).
- ``AWS_S3_REGION_NAME``: the bucket's region (``fr-par``, ``eu-west-3``…).
- ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``: the credentials; when unset, boto3
  looks for them itself (instance role, ``~/.aws``).
- ``AWS_S3_CUSTOM_DOMAIN``: a domain serving the bucket publicly (CDN), used in URLs.

Files are public and served by plain URLs (no signed query string, no ACL sent: the
bucket's policy decides), and a name already taken is never overwritten.
"""

import os

S3_BACKEND = "storages.backends.s3.S3Storage"
OPTIONAL = {  # environment variable → S3Storage option
    "AWS_S3_ENDPOINT_URL": "endpoint_url",
    "AWS_S3_REGION_NAME": "region_name",
    "AWS_ACCESS_KEY_ID": "access_key",
    "AWS_SECRET_ACCESS_KEY": "secret_key",
    "AWS_S3_CUSTOM_DOMAIN": "custom_domain",
}


def storages_from_env(default_storages, environ=None):
    """The ``STORAGES`` setting: ``default_storages`` with its ``default`` entry replaced by
    an S3 storage when ``AWS_STORAGE_BUCKET_NAME`` is set; ``default_storages`` unchanged
    (a copy) otherwise. ``environ`` defaults to ``os.environ``."""
    environ = os.environ if environ is None else environ
    storages = dict(default_storages)
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return storages
    options = {
        "bucket_name": bucket,
        "default_acl": None,
        "querystring_auth": False,
        "file_overwrite": False,
    }
    for variable, option in OPTIONAL.items():
        value = environ.get(variable, "").strip()
        if value:
            options[option] = value
    storages["default"] = {"BACKEND": S3_BACKEND, "OPTIONS": options}
    return storages


def media_sources(environ=None):
    """The origin serving uploaded files when they are in a bucket, for the CSP's
    ``img-src``: the custom domain, else the endpoint (nothing for local files)."""
    environ = os.environ if environ is None else environ
    if not environ.get("AWS_STORAGE_BUCKET_NAME", "").strip():
        return []
    domain = environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip()
    if domain:
        return [f"https://{domain.split('/')[0]}"]
    endpoint = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint:
        scheme, _, rest = endpoint.partition("://")
        return [f"{scheme}://*.{rest.split('/')[0]}", f"{scheme}://{rest.split('/')[0]}"]
    region = environ.get("AWS_S3_REGION_NAME", "").strip()
    return [f"https://*.s3.{region}.amazonaws.com" if region else "https://*.amazonaws.com"]
