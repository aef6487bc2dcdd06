using System.Net;
using System.Text;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>Every kind of failure answers in the one envelope of api.md.</summary>
public sealed class ErrorEnvelopeTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/no-such-route")]
    [InlineData("POST", "/campaigns/1/no-such-action")]
    public async Task An_unknown_route_is_not_found(string method, string path)
    {
        var response = await _api.SendJsonAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null, Ct);

        response.Expect(HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("PUT", "/campaigns")]
    [InlineData("DELETE", "/campaigns")]
    [InlineData("PUT", "/campaigns/1")]
    public async Task A_wrong_method_is_method_not_allowed(string method, string path)
    {
        var response = await _api.SendJsonAsync(new HttpMethod(method), path, "{}", Ct);

        response.Expect(HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    [Fact]
    public async Task A_body_that_is_not_json_by_content_type_is_unsupported()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/campaigns")
        {
            Content = new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        var response = await _api.SendRawAsync(request, Ct);

        response.Expect(HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"name\": 5, \"channel\": \"sms\", \"base_template\": \"Hi\"}")]
    [InlineData("{\"name\": \"x\", \"channel\": [\"sms\"], \"base_template\": \"Hi\"}")]
    [InlineData("{\"name\": \"x\", \"channel\": \"sms\", \"base_template\": \"Hi\", \"scheduled_at\": 12}")]
    [InlineData("{\"name\": \"x\", \"channel\": \"sms\", \"base_template\": \"Hi\", \"scheduled_at\": \"tomorrow\"}")]
    // RFC 3339 only: a time without its offset, or a date alone, names no instant.
    [InlineData("{\"name\": \"x\", \"channel\": \"sms\", \"base_template\": \"Hi\", \"scheduled_at\": \"2099-01-01T10:00:00\"}")]
    [InlineData("{\"name\": \"x\", \"channel\": \"sms\", \"base_template\": \"Hi\", \"scheduled_at\": \"2099-01-01\"}")]
    [InlineData("{\"name\": \"x\", \"channel\": \"sms\", \"base_template\": \"Hi\", \"scheduled_at\": \"2099-01-01T10:00Z\"}")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Malformed_json_or_a_wrongly_typed_member_is_invalid_json(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/campaigns")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };

        var response = await _api.SendRawAsync(request, Ct);

        response.Expect(HttpStatusCode.BadRequest, "INVALID_JSON");
    }

    [Fact]
    public async Task Unknown_members_are_ignored()
    {
        var response = await _api.PostJsonAsync("/campaigns",
            new { name = "x", channel = "sms", base_template = "Hi", colour = "blue", nested = new { a = 1 } }, Ct);

        response.Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_with_the_trace_id_and_no_exception_text()
    {
        var postgres = await fixture.Graph.ConnectionStringAsync("campaignsdb", Ct);
        var redis = await fixture.Graph.ConnectionStringAsync("redis", Ct);
        await using var factory = InProcessApi.Create(postgres, redis, web =>
            web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(new ExplodingClock())));
        using var client = factory.CreateAuthenticatedClient();

        var response = await client.PostJsonAsync("/campaigns",
            new { name = "x", channel = "sms", base_template = "Hi", scheduled_at = DateTimeOffset.UtcNow.AddDays(1) }, Ct);

        response.Expect(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        Assert.DoesNotContain(ExplodingClock.Secret, response.Text);
        Assert.DoesNotContain("Exception", response.Text);
    }

    private sealed class ExplodingClock : TimeProvider
    {
        public const string Secret = "s3cret-connection-detail";

        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(Secret);
    }
}
