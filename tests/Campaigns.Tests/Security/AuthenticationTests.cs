using System.Net;
using System.Net.Http.Headers;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace Campaigns.Tests.Security;

public sealed class AuthenticationTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/customers" }, { "POST", "/customers" }, { "POST", "/customers/import" }, { "GET", "/customers/1" },
        { "PATCH", "/customers/1" }, { "DELETE", "/customers/1" },
        { "GET", "/campaigns" }, { "POST", "/campaigns" }, { "GET", "/campaigns/1" }, { "PATCH", "/campaigns/1" },
        { "DELETE", "/campaigns/1" }, { "POST", "/campaigns/1/send" }, { "POST", "/campaigns/1/personalized-preview" },
        { "GET", "/campaigns/1/messages" }, { "GET", "/campaigns/1/messages/1" }, { "POST", "/campaigns/1/pause" },
        { "POST", "/campaigns/1/resume" }, { "POST", "/campaigns/1/cancel" }, { "POST", "/campaigns/1/retry-failed" },
        { "GET", "/no-such-route" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Without_a_key_every_protected_route_is_401_with_a_challenge(string method, string path)
    {
        using var anonymous = fixture.Graph.CreateClient(authenticated: false);

        var response = await anonymous.SendJsonAsync(new HttpMethod(method), path, method is "GET" or "DELETE" ? null : "{}", Ct);

        response.Expect(HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Contains("ApiKey", response.Headers["WWW-Authenticate"]);
    }

    [Fact]
    public async Task A_wrong_key_is_401_and_a_bearer_token_works_like_the_header()
    {
        using var wrong = fixture.Graph.CreateClient(authenticated: false);
        wrong.DefaultRequestHeaders.Add("X-Api-Key", fixture.Graph.ApiKey + "x");
        (await wrong.GetJsonAsync("/campaigns", Ct)).Expect(HttpStatusCode.Unauthorized, "UNAUTHORIZED");

        using var bearer = fixture.Graph.CreateClient(authenticated: false);
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Graph.ApiKey);
        (await bearer.GetJsonAsync("/campaigns", Ct)).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/openapi/v1.json")]
    public async Task Probes_and_the_api_description_need_no_key(string path)
    {
        using var anonymous = fixture.Graph.CreateClient(authenticated: false);

        using var response = await anonymous.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_api_refuses_to_start_without_a_key_unless_explicitly_disabled()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using (var keyless = InProcessApi.Create(postgres, redis, web => web.UseSetting("Auth:ApiKeys:0", "")))
        {
            var error = Assert.ThrowsAny<Exception>(() => keyless.CreateValidatedClient());
            Assert.Contains("Auth:ApiKeys", (error as OptionsValidationException ?? error.InnerException ?? error).Message);
        }

        await using var disabled = InProcessApi.Create(postgres, redis, web => web
            .UseSetting("Auth:ApiKeys:0", "").UseSetting("Auth:Disabled", "true"));
        using var client = disabled.CreateValidatedClient();
        (await client.GetJsonAsync("/campaigns", Ct)).Expect(HttpStatusCode.OK);
    }
}
