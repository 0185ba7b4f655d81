"""Settings for the 党群服务中心 system.

Every deployment knob is an environment variable (see README, "Configuration"). With no environment
at all the project runs in development mode on the embedded SQLite database.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Development is the default so that a fresh clone runs; production must say so and give a key.
PRODUCTION = env.bool("PRODUCTION", default=False)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # raises ImproperlyConfigured when missing
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-never-use-in-production")

# 身份证号 are kept only as HMAC-SHA256 with this key (members/id_numbers.py). Production refuses to start
# without it: a key derived from SECRET_KEY would silently change with it and break duplicate matching
# across imports. Never change it once members are stored: the numbers are not kept, so nothing can be
# re-hashed. Development derives one from SECRET_KEY so that a fresh clone runs.
if PRODUCTION:
    ID_NUMBER_HASH_KEY = env.str("ID_NUMBER_HASH_KEY")
else:
    ID_NUMBER_HASH_KEY = env.str("ID_NUMBER_HASH_KEY", default=f"dev-id-number:{SECRET_KEY}")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # SimpleAdminConfig: autodiscovery would import django-leaflet's admin module, which needs GDAL
    # (we use no GeoDjango). Each of our AppConfig.ready() imports its own admin module instead.
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files: /api/docs/ works offline
    "csp",
    "leaflet",
    "simple_history",
    "members.axes_app.LoginProtectionConfig",  # django-axes, named in Chinese in the admin
    # Ours, bottom layer first (see DESIGN.md section 2). Never add django.contrib.sites: the label is ours.
    "sites",
    "members",
    "services",
    "projects",
]

MIDDLEWARE = [
    # First: latency by view covers every other middleware, and every log line carries the request id.
    "config.metrics.MetricsMiddleware",
    "config.request_log.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files carry the policy too (an SVG or HTML file opened directly).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session lookup: a NUL in the session cookie would otherwise reach PostgreSQL.
    "config.middleware.RefuseNulMiddleware",
    # Before the session middleware: the session's save is a write that keeps the client on the primary.
    "config.db_router.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the change history (sites/history.py) records the signed-in user.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the login view's answer and replaces it with the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # todo.total and todo.unread for the header's 待办 and 站内信 links: one query, only on
                # pages that show them.
                "projects.todo.header",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# PostgreSQL's JIT compiles a query whose estimated cost is high, which here means the large aggregates
# (dashboards, counts over a district): compiling took 0.4–7 s of queries that run in 20–100 ms without
# it. An OLTP site gains nothing from it, so every connection turns it off.
POSTGRES_SESSION = {"options": "-c jit=off"}
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so a check-then-insert in one transaction cannot race
    # (DESIGN.md section 4); writers queue behind it for up to `timeout` seconds instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # services (room booking): tests use a file database like production, not Django's in-memory one,
    # whose shared cache fails concurrent writers with "table is locked" instead of queueing them.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "db.sqlite3-test")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update(POSTGRES_SESSION)

# Read replicas (config/db_router.py): the public pages and API read from one of these, the rest from
# "default". In tests each replica mirrors the test database (Django's TEST MIRROR).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[]), 1):
    DATABASE_REPLICAS.append(f"replica{_number}")
    DATABASES[f"replica{_number}"] = {
        **environ.Env.db_url_config(_url),
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": POSTGRES_SESSION,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
# Seconds after a client's last write during which its reads stay on the primary (replication lag).
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=10)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing its redis-py client (config/cache.py says why).
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Public pages kept in the cache for anonymous visitors (sites/page_cache.py). Their ETags come from table
# write versions held in the cache, so every process must share one cache: on with REDIS_URL.
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=bool(REDIS_URL))

# Celery (config/celery.py): Redis is the broker. With no REDIS_URL (a fresh clone, the test suite) every
# task runs at once in the calling process, so `make run` and `make test` need nothing else running.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged when it has run, so a worker killed mid-task leaves it for another worker;
# every task is idempotent (a notification is claimed by a conditional UPDATE), so running twice is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# on_commit(task.delay) must not hold a request when Redis is down: one quick retry, then give up; the
# notification or import stays in the database (the sweep re-queues notifications).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
# The site speaks one language: without this LocaleMiddleware would answer a phone set to English with
# Django's English labels and error messages inside our Chinese pages.
LANGUAGES = [("zh-hans", "简体中文")]
# Fixes to Django's own zh_Hans messages (config/locale/zh_Hans/LC_MESSAGES/django.po).
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Receipts name payees and amounts: kept outside MEDIA_ROOT, so neither DEBUG's media serving nor a proxy
# that serves MEDIA_ROOT can hand them out; the scoped receipt view is the only way to them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/no-public-url/"},
    },
    "staticfiles": {
        "BACKEND": "config.storage.StaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded photos and receipts; larger files are refused with a message by the forms.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# A text-message provider is a class of ours (members/sms.py); the console one prints in development.
SMS_BACKEND = env.str("SMS_BACKEND", default="members.sms.ConsoleSmsBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@haitang.local")
# The notification outbox (members/notify.py): a pending one not delivered after this many minutes is
# handed to a worker again by the sweep; failed attempts wait 1, 2, 4 … minutes, up to this many attempts.
NOTIFICATION_SWEEP_MINUTES = env.int("NOTIFICATION_SWEEP_MINUTES", default=5)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=8)
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# Security: safe defaults in production, relaxed only for local development over plain HTTP.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Several proxies in front of gunicorn: how many to trust in X-Forwarded-For (config/client_ip.py). In
# production one reverse proxy is the norm, and trusting none would count every client as the proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)

# Login lockout (django-axes), on /accounts/login/ and /admin/login/ alike. Failures are counted per
# username and per client address, either reaching the limit locks; rows live in the database, so every
# host sees them. The right password fails too until the cool-off ends or staff delete the row in the
# admin (登录保护 → 访问尝试). A success does not wipe the count: one valid account must not let an
# address go on guessing others'.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=60))
# The lock runs from the failure that tripped it: retrying while locked does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "members.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "members.lockout.attempted_username"
AXES_COOLOFF_MESSAGE = "登录失败次数过多，已被暂时锁定，请稍后再试或联系管理员解锁。"
AXES_PERMALOCK_MESSAGE = AXES_COOLOFF_MESSAGE
# django-axes writes a row per login (访问日志) and per failed address; the nightly job drops older ones.
AXES_LOG_RETENTION_DAYS = env.int("AXES_LOG_RETENTION_DAYS", default=90)
# An admin import with no progress this long is taken for dead (its worker killed) and failed by the
# sweep (sites/import_jobs.py); a live import reports every 100 rows written.
IMPORT_JOB_STALL_MINUTES = env.int("IMPORT_JOB_STALL_MINUTES", default=30)

# Password-reset e-mails (members/password_reset.py): per client address and per e-mail address, so the
# form can't be used to flood someone's mailbox; counted in the default cache like the API's throttles.
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/hour")
# Registration codes by SMS (members/registration.py): per client address and per phone number.
SMS_CODE_RATE = env.str("SMS_CODE_RATE", default="5/hour")
# A reserved reward not collected within this many days expires; points and stock go back.
REDEMPTION_HOLD_DAYS = env.int("REDEMPTION_HOLD_DAYS", default=14)
# How many volunteers each community's and street's monthly ranking (每月评优) lists.
RANKING_SIZE = env.int("RANKING_SIZE", default=10)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "config.renderers.CSPBrowsableAPIRenderer",  # DRF's HTML pages need inline styles (see there)
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["sites.filters.StrictFilterBackend"],
    # JSON read strictly (depth, NaN/Infinity, size): sites/strict_json.py.
    "DEFAULT_PARSER_CLASSES": [
        "sites.strict_json.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Writes only (config/throttles.py), per user, counted in the default cache (Redis with REDIS_URL).
    "DEFAULT_THROTTLE_CLASSES": ["config.throttles.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_write": env.str("API_WRITE_RATE", default="60/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "海棠花红 党群服务中心 API",
    "DESCRIPTION": "红色地图、场馆预约、为民服务项目的公开与管理接口。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ (config/api_docs.py): Swagger UI from drf-spectacular-sidecar's static files, not a CDN;
    # no online validator badge (it would load an image from validator.swagger.io).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
}

# Map tiles: 天地图 when a key is given, OpenStreetMap otherwise. Markers never depend on tiles.
TIANDITU_KEY = env.str("TIANDITU_KEY", default="")
MAP_TILES = env.str("MAP_TILES", default="tianditu" if TIANDITU_KEY else "osm")
_TILES = {
    "tianditu": [
        (
            "天地图",
            f"https://t{{s}}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
            f"&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={TIANDITU_KEY}",
            {"subdomains": "01234567", "attribution": "&copy; 天地图"},
        ),
        (
            "天地图注记",
            f"https://t{{s}}.tianditu.gov.cn/cva_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=cva"
            f"&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={TIANDITU_KEY}",
            {"subdomains": "01234567", "overlay": True},
        ),
    ],
    "gaode": [
        (
            "高德地图",
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            {"subdomains": "1234", "attribution": "&copy; 高德地图", "crs": "gcj02"},
        )
    ],
    "osm": [
        (
            "OpenStreetMap",
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            {"attribution": "&copy; OpenStreetMap contributors"},
        )
    ],
}
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (31.30, 120.62),  # 苏州 (WGS-84)
    "DEFAULT_ZOOM": 10,
    "MIN_ZOOM": 7,
    "MAX_ZOOM": 18,
    "TILES": _TILES.get(MAP_TILES, _TILES["osm"]),
    "ATTRIBUTION_PREFIX": "",
    "RESET_VIEW": False,
}


def _tile_origins(tiles):
    """Each https origin the tiles load from, every {s} subdomain spelled out (Leaflet's default "abc")."""
    origins = []
    for _name, url, options in tiles:
        scheme, rest = url.split("://", 1)
        host = rest.split("/", 1)[0]
        subdomains = options.get("subdomains", "abc") if "{s}" in host else [""]
        origins += [f"{scheme}://{host.replace('{s}', s)}" for s in subdomains]
    return list(dict.fromkeys(origins))


# Content-Security-Policy (django-csp) on every response. Nothing loads from another host but the active
# map tiles; scripts are our static files only, django-leaflet's map set-up included (static/js/
# leaflet_init.js): no nonce, so a page kept in the shared cache (sites/page_cache.py) is byte-for-byte
# valid for every visitor; no inline styles or handlers anywhere (/api/docs/ included). A view that
# needs more says so with django-csp's csp_update or sets its own header (receipts: sandbox), never by
# relaxing this.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_tile_origins(LEAFLET_CONFIG["TILES"])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# True when the tiles use GCJ-02 (高德, 腾讯): the browser shifts our WGS-84 points to match them.
MAP_TILES_GCJ02 = MAP_TILES == "gaode"

# Change history (sites/history.py): read-only. Reverting would save an old version back past the
# domain functions and the edit forms' rules.
SIMPLE_HISTORY_REVERT_DISABLED = True

# 为民服务专项经费: each community's yearly fund in 元, unless staff set another for a community.
COMMUNITY_FUND_DEFAULT = Decimal(env.str("COMMUNITY_FUND_DEFAULT", default="200000.00"))
# 公示期: days a published project is announced, from the date of its 上报公示 step.
GONGSHI_DAYS = env.int("GONGSHI_DAYS", default=7)

# Every line carries the request's id (config/request_log.py); in production one JSON object a line,
# for the log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_log.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.request_log.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if PRODUCTION else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# /metrics (config/metrics.py) answers only these client addresses or networks.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# Probes and the scraper speak plain HTTP to gunicorn on the host itself, not through the HTTPS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# projects: one name per choice set in the OpenAPI schema (Project.status and Expense.status differ).
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "ProjectStatusEnum": "projects.models.Status",
        "ExpenseStatusEnum": "projects.models.ExpenseStatus",
        "LedgerKindEnum": "projects.models.LedgerKind",
    }
)
# members: the points' choice sets (a rule's category is not a project's).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "RuleCategoryEnum": "members.models.RuleCategory",
        "ProjectCategoryEnum": "projects.models.Category",
        "ServiceStatusEnum": "members.models.ServiceStatus",
        "EntryKindEnum": "members.models.EntryKind",
        "RedemptionStatusEnum": "members.models.RedemptionStatus",
        # services: an activity's kind is neither an organisation's nor a ledger entry's.
        "ActivityKindEnum": "services.activity_models.ActivityKind",
        # members: 组织生活 (a meeting's kind and status, an attendance, a compliance state).
        "MeetingKindEnum": "members.models.MeetingKind",
        "MeetingStatusEnum": "members.models.MeetingStatus",
        "AttendanceStatusEnum": "members.models.AttendanceStatus",
        "ComplianceStateEnum": "members.compliance.STATE_CHOICES",
        # services: what a need asks for and a resource meets (三张清单).
        "ServiceKindEnum": "services.list_models.ServiceKind",
    }
)
# services: a demand's status (issue 17) is neither a booking's nor a project's.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["DemandStatusEnum"] = "services.demand_models.DemandStatus"

# Open311 GeoReport v2 (services/open311.py, issue 17): the jurisdiction_id the public feed answers to.
OPEN311_JURISDICTION = env.str("OPEN311_JURISDICTION", default="suzhou.haitang")
