"""Who the client is: the socket peer, unless a trusted proxy vouches for someone else."""

from __future__ import annotations

import pytest

from chatbot.client_identity import parse_networks, pseudonym, real_client

PROXIES = parse_networks("10.0.0.5, 10.1.0.0/16")


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() -> None:
    assert real_client("127.0.0.1", "203.0.113.7", ()) == "127.0.0.1"
    assert real_client("198.51.100.2", ["1.2.3.4, 5.6.7.8"], ()) == "198.51.100.2"


def test_a_trusted_proxy_names_the_client_rightmost_first() -> None:
    assert real_client("10.0.0.5", "203.0.113.7", PROXIES) == "203.0.113.7"
    # The client wrote "1.1.1.1" itself; our proxy appended the address it saw.
    assert real_client("10.0.0.5", "1.1.1.1, 203.0.113.7", PROXIES) == "203.0.113.7"
    # Two of our proxies in a row are skipped.
    assert real_client("10.0.0.5", "1.1.1.1, 203.0.113.7, 10.1.4.4", PROXIES) == "203.0.113.7"
    # Several header lines count as one list.
    assert real_client("10.0.0.5", ["1.1.1.1", "203.0.113.7"], PROXIES) == "203.0.113.7"


def test_an_untrusted_peer_cannot_pass_itself_off_as_a_proxy() -> None:
    assert real_client("203.0.113.99", "10.0.0.5, 198.51.100.1", PROXIES) == "203.0.113.99"


def test_garbage_in_the_header_is_never_the_client() -> None:
    assert real_client("10.0.0.5", "not-an-ip", PROXIES) == "10.0.0.5"
    assert real_client("10.0.0.5", "<script>, 10.1.0.9", PROXIES) == "10.1.0.9"
    assert real_client("10.0.0.5", "", PROXIES) == "10.0.0.5"


def test_ports_brackets_and_mapped_addresses_are_read() -> None:
    assert real_client("10.0.0.5", "203.0.113.7:5555", PROXIES) == "203.0.113.7"
    assert real_client("10.0.0.5", "[2001:db8::1]:443", PROXIES) == "2001:db8::1"
    assert real_client("::ffff:10.0.0.5", "203.0.113.7", PROXIES) == "203.0.113.7"


def test_bad_proxy_setting_names_the_entry() -> None:
    with pytest.raises(ValueError, match="proxy.example"):
        parse_networks("10.0.0.1, proxy.example")
    assert parse_networks("") == ()


def test_pseudonyms_are_keyed_and_hide_the_address() -> None:
    a = pseudonym("203.0.113.5", b"k1" * 16)
    assert a == pseudonym("203.0.113.5", b"k1" * 16)
    assert a != pseudonym("203.0.113.5", b"k2" * 16)
    assert "203.0.113.5" not in a and len(a) == 24
