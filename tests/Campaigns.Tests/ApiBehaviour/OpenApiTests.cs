using System.Net;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.ApiBehaviour;

public sealed class OpenApiTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/customers", "post")]
    [InlineData("/customers", "get")]
    [InlineData("/customers/import", "post")]
    [InlineData("/customers/{id}", "get")]
    [InlineData("/customers/{id}", "patch")]
    [InlineData("/customers/{id}", "delete")]
    [InlineData("/campaigns", "post")]
    [InlineData("/campaigns", "get")]
    [InlineData("/campaigns/{id}", "get")]
    [InlineData("/campaigns/{id}", "patch")]
    [InlineData("/campaigns/{id}", "delete")]
    [InlineData("/campaigns/{id}/send", "post")]
    [InlineData("/campaigns/{id}/personalized-preview", "post")]
    [InlineData("/campaigns/{id}/messages", "get")]
    [InlineData("/campaigns/{id}/messages/{messageId}", "get")]
    public async Task The_document_describes_every_endpoint_with_its_error_responses(string path, string method)
    {
        var document = (await _api.GetJsonAsync("/openapi/v1.json", Ct)).Expect(HttpStatusCode.OK).Json;

        var operation = document["paths"]?[path]?[method];
        Assert.NotNull(operation);
        Assert.False(string.IsNullOrEmpty(operation["summary"]?.GetValue<string>()));
        Assert.NotNull(operation["responses"]?["400"]);
    }

    [Fact]
    public async Task Request_schemas_use_snake_case()
    {
        var text = (await _api.GetJsonAsync("/openapi/v1.json", Ct)).Text;

        Assert.Contains("\"base_template\"", text);
        Assert.Contains("\"customer_ids\"", text);
        Assert.DoesNotContain("\"BaseTemplate\"", text);
    }

    [Fact]
    public async Task The_reference_page_is_served()
    {
        using var response = await _api.GetAsync("/scalar", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString());
    }
}
