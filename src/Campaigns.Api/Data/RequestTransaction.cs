using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// The request's one Postgres transaction (scoped), shared by writes that must commit together: a
/// send and the idempotency key that answers its retries. The first to join begins it and is the
/// only one whose commit counts; the others work inside it. Work that must follow the commit, such as
/// queueing jobs in Redis, is registered with <see cref="Participation.OnCommitted"/> and runs only
/// once the commit succeeded: a rolled-back send never queues a job.
/// </summary>
public sealed class RequestTransaction(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    private readonly List<Func<CancellationToken, Task>> _onCommitted = [];
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;

    /// <summary>Begins the transaction, or joins the one an outer caller (the idempotency filter) began.</summary>
    public async Task<Participation> JoinAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            return new Participation(this, _connection!, _transaction, began: false);
        }
        _connection = await dataSource.OpenConnectionAsync(cancellationToken);
        _transaction = await _connection.BeginTransactionAsync(cancellationToken);
        return new Participation(this, _connection, _transaction, began: true);
    }

    private async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _transaction!.CommitAsync(cancellationToken);
        var onCommitted = _onCommitted.ToArray();
        // Back to the pool before the follow-up work (a large publish) runs.
        await CloseAsync();
        foreach (var action in onCommitted)
        {
            await action(cancellationToken);
        }
    }

    /// <summary>Ends the transaction; one not committed is rolled back, and its follow-up work dropped.</summary>
    private async ValueTask CloseAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
            _transaction = null;
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
        _onCommitted.Clear();
    }

    public ValueTask DisposeAsync() => CloseAsync();

    /// <summary>One caller's part in the transaction. Disposing the part that began it, uncommitted, rolls everything back.</summary>
    public sealed class Participation(RequestTransaction shared, NpgsqlConnection connection, NpgsqlTransaction transaction, bool began)
        : IAsyncDisposable
    {
        public NpgsqlConnection Connection => connection;

        public NpgsqlTransaction Transaction => transaction;

        /// <summary>Runs <paramref name="action"/> after the whole transaction has committed (never if it rolls back).</summary>
        public void OnCommitted(Func<CancellationToken, Task> action) => shared._onCommitted.Add(action);

        /// <summary>Commits, when this caller began the transaction; otherwise the one who did commits later.</summary>
        public Task CommitAsync(CancellationToken cancellationToken) =>
            began ? shared.CommitAsync(cancellationToken) : Task.CompletedTask;

        public ValueTask DisposeAsync() => began ? shared.CloseAsync() : ValueTask.CompletedTask;
    }
}
