using MysqlAgent.Backup;

namespace MysqlAgent.Tests.Backup;

public sealed class BackupTokenAuthenticatorTests
{
    private readonly BackupTokenAuthenticator _authenticator = new(
        TestOptions.Create("s3cret-token")
    );

    [Theory]
    [InlineData("Bearer s3cret-token")]
    [InlineData("bearer s3cret-token")]
    [InlineData("Bearer  s3cret-token ")]
    public void The_right_token_is_accepted(string header) =>
        Assert.Null(_authenticator.Check(header));

    [Theory]
    [InlineData(null, "no Authorization header")]
    [InlineData("", "no Authorization header")]
    [InlineData("Bearer", "not 'Bearer <token>'")]
    [InlineData("Bearer ", "not 'Bearer <token>'")]
    [InlineData("Basic czNjcmV0LXRva2Vu", "not 'Bearer <token>'")]
    [InlineData("s3cret-token", "not 'Bearer <token>'")]
    [InlineData("Bearer s3cret-toke", "wrong backup token")]
    [InlineData("Bearer s3cret-token2", "wrong backup token")]
    [InlineData("Bearer S3CRET-TOKEN", "wrong backup token")]
    public void A_missing_or_wrong_token_is_refused_with_a_reason(string? header, string reason)
    {
        var refusal = _authenticator.Check(header);

        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_configured_token_every_request_is_refused()
    {
        var authenticator = new BackupTokenAuthenticator(TestOptions.Create(token: null));

        Assert.NotNull(authenticator.Check("Bearer "));
        Assert.NotNull(authenticator.Check("Bearer anything"));
    }
}
