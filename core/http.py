"""Who is asking: the client's IP address, behind as many trusted proxies as
``settings.TRUSTED_PROXY_COUNT`` says (nginx in front: 1; none in development: 0)."""

from django.conf import settings


def client_ip(request):
    """The address of the client: ``REMOTE_ADDR``, or, behind ``TRUSTED_PROXY_COUNT``
    proxies that each append to ``X-Forwarded-For``, the address the first trusted proxy
    saw. Values a client writes itself into the header are never trusted."""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def axes_client_ip(request):
    """The same, for django-axes (``AXES_CLIENT_IP_CALLABLE``)."""
    return client_ip(request)
