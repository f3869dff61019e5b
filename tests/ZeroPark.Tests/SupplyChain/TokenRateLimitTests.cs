using ZeroPark.Tests.Api;

namespace ZeroPark.Tests.SupplyChain;

/// <summary>The link-with-a-token routes count against the sign-in limit of the client (here 4 per minute, see
/// <see cref="LimitedApiServer"/>): guessing tokens is as slow as guessing passwords.</summary>
public sealed class TokenRateLimitTests(LimitedApiServer server) : IClassFixture<LimitedApiServer>
{
    [Fact]
    public async Task Guessing_tokens_hits_the_sign_in_limit()
    {
        // 4 guesses from one address are answered (404: no such link); the 5th is refused with 429 although the client's
        // general limit (5 per minute) is not reached; another address goes on.
        for (var i = 0; i < 4; i++)
            Assert.Equal(404, (await Raw.SendAsync(server, "10.7.0.1", "GET", $"/api/supplier-form/guess{i}")).Response.StatusCode);
        var fifth = await Raw.SendAsync(server, "10.7.0.1", "GET", "/api/carbon-account/guess5");
        Assert.Equal(429, fifth.Response.StatusCode);
        Assert.Equal(404, (await Raw.SendAsync(server, "10.7.0.2", "GET", "/api/carbon-account/guess6")).Response.StatusCode);
    }
}
