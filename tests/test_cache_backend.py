"""config.cache.RedisCache: Django's Redis cache, with one redis-py client kept per connection pool."""

import os
import threading

import pytest
import redis

from config.cache import RedisCache

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def cache():
    backend = RedisCache(REDIS_TEST_URL, {"KEY_PREFIX": "test-cache-backend", "TIMEOUT": 60})
    try:
        backend.set("probe", 1)
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis at " + REDIS_TEST_URL)
    yield backend
    backend.delete_many(["probe", "key", "many-a", "many-b"])


def test_the_client_is_made_once_and_the_cache_works(cache):
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("key", {"value": "海棠"})
    cache.set_many({"many-a": 1, "many-b": 2})
    assert cache.get("key") == {"value": "海棠"} and cache.get_many(["many-a", "many-b"]) == {
        "many-a": 1,
        "many-b": 2,
    }
    assert cache._cache.get_client() is client


def test_threads_share_the_client_safely(cache):
    errors = []

    def work(n):
        try:
            for i in range(50):
                cache.set("key", n * 1000 + i)
                assert isinstance(cache.get("key"), int)
        except Exception as error:  # any failure in a thread fails the test below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
