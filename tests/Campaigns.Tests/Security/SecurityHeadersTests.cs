using System.Net;
using System.Text.RegularExpressions;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Security;

/// <summary>
/// The console's files carry a strict Content-Security-Policy (no inline script or style, no framing);
/// every answer, the API's included, says nosniff, no referrer and no framing.
/// </summary>
public sealed partial class SecurityHeadersTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/console/app.css")]
    [InlineData("/console/js/main.js")]
    [InlineData("/console/favicon.svg")]
    public async Task The_console_is_served_with_a_strict_content_security_policy(string path)
    {
        using var anonymous = fixture.Graph.CreateClient(authenticated: false);

        using var response = await anonymous.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        var csp = Directives(response);
        Assert.Equal("'self'", csp["default-src"]);
        Assert.Equal("'self'", csp["script-src"]);
        Assert.Equal("'self'", csp["style-src"]);
        Assert.Equal("'none'", csp["object-src"]);
        Assert.Equal("'none'", csp["base-uri"]);
        Assert.Equal("'self'", csp["form-action"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
    }

    [Theory]
    [InlineData("/campaigns?page_size=1", true, HttpStatusCode.OK)]
    [InlineData("/no-such-route", true, HttpStatusCode.NotFound)]
    [InlineData("/campaigns", false, HttpStatusCode.Unauthorized)]
    [InlineData("/health", false, HttpStatusCode.OK)]
    [InlineData("/openapi/v1.json", false, HttpStatusCode.OK)]
    public async Task Api_answers_load_nothing_and_cannot_be_framed(string path, bool authenticated, HttpStatusCode status)
    {
        using var client = fixture.Graph.CreateClient(authenticated: authenticated);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(status, response.StatusCode);
        AssertCommonHeaders(response);
        var csp = Directives(response);
        Assert.Equal("'none'", csp["default-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
    }

    [Fact]
    public async Task The_api_reference_allows_only_its_own_nonced_scripts()
    {
        using var anonymous = fixture.Graph.CreateClient(authenticated: false);

        using var response = await anonymous.GetAsync("/scalar", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertCommonHeaders(response);
        var csp = Directives(response);
        var nonce = NonceSource().Match(csp["script-src"]);
        Assert.True(nonce.Success, $"no nonce in script-src: {csp["script-src"]}");
        Assert.DoesNotContain("unsafe-inline", csp["script-src"]);
        Assert.Equal("'none'", csp["frame-ancestors"]);
        // Every script tag of the page carries the nonce of its header.
        Assert.All(ScriptTag().Matches(html), tag => Assert.Contains($"nonce=\"{nonce.Groups[1].Value}\"", tag.Value));
    }

    private static void AssertCommonHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
    }

    private static Dictionary<string, string> Directives(HttpResponseMessage response) =>
        Header(response, "Content-Security-Policy")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(directive => directive.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "");

    private static string Header(HttpResponseMessage response, string name)
    {
        Assert.True(response.Headers.TryGetValues(name, out var values),
            $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri?.PathAndQuery} has no {name} header");
        return string.Join(",", values);
    }

    [GeneratedRegex("'nonce-([A-Za-z0-9+/=_-]+)'")]
    private static partial Regex NonceSource();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
