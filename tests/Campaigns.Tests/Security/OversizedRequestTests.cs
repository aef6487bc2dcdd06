using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Security;

/// <summary>
/// An over-long request line (414) or header block (431) is answered in the envelope like every
/// other error, through the real Kestrel (the in-process test server has no such limits).
/// </summary>
public sealed class OversizedRequestTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_line_just_within_8_kib_is_served()
    {
        // "GET " + target + " HTTP/1.1\r\n" is 8,192 bytes.
        var target = PaddedTarget(8 * 1024 - "GET ".Length - " HTTP/1.1\r\n".Length);

        (await _api.GetJsonAsync(target, Ct)).Expect(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(8 * 1024)]
    [InlineData(12 * 1024)]
    public async Task A_request_line_over_8_kib_is_414_in_the_envelope(int targetLength)
    {
        var response = await _api.GetJsonAsync(PaddedTarget(targetLength), Ct);

        response.Expect(HttpStatusCode.RequestUriTooLong, "URI_TOO_LONG");
    }

    [Fact]
    public async Task A_header_block_over_32_kib_is_431_in_the_envelope()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/campaigns?page_size=1");
        for (var i = 0; i < 3; i++)
        {
            request.Headers.Add($"X-Padding-{i}", new string('h', 12 * 1024));
        }

        var response = await _api.SendRawAsync(request, Ct);

        response.Expect(HttpStatusCode.RequestHeaderFieldsTooLarge, "HEADERS_TOO_LARGE");
    }

    [Fact]
    public async Task More_than_100_headers_is_431_in_the_envelope()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/campaigns?page_size=1");
        for (var i = 0; i < 120; i++)
        {
            request.Headers.Add($"X-Many-{i}", "1");
        }

        var response = await _api.SendRawAsync(request, Ct);

        response.Expect(HttpStatusCode.RequestHeaderFieldsTooLarge, "HEADERS_TOO_LARGE");
    }

    /// <summary><c>/campaigns?page_size=1&amp;pad=…</c>, exactly <paramref name="length"/> characters long.</summary>
    private static string PaddedTarget(int length)
    {
        const string prefix = "/campaigns?page_size=1&pad=";
        return prefix + new string('p', length - prefix.Length);
    }
}
