from pipeline.judge.tokens import TokenMemo


def test_token_memo_computes_once_and_stays_bounded():
    calls = []
    memo = TokenMemo(lambda token: calls.append(token) or token.upper(), limit=3)
    assert list(map(memo.__getitem__, ["a", "b", "a"])) == ["A", "B", "A"]
    assert calls == ["a", "b"]
    for token in "cdefg":
        assert memo[token] == token.upper()
    assert len(memo) <= 3
