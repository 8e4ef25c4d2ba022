namespace MysqlAgent.Configuration;

public enum LeaseStoreKind
{
    /// <summary>No election: the primary is ordinal 0, as in the classic example.</summary>
    None,

    /// <summary>A <c>FileLeaseStore</c> in a folder shared by the pods (the local replica set).</summary>
    File,

    /// <summary>The Lease <c>&lt;statefulset&gt;-primary</c> in the pod's namespace.</summary>
    Kubernetes,
}

/// <summary><c>--lease-store none|file:&lt;folder&gt;|kubernetes</c>: where the agents elect the primary.</summary>
public sealed record LeaseStoreChoice(LeaseStoreKind Kind, string? Folder)
{
    public const string Syntax = "none, file:<folder> or kubernetes";

    public static LeaseStoreChoice None { get; } = new(LeaseStoreKind.None, null);

    /// <summary>Whether the agents elect the primary (any store but none).</summary>
    public bool Enabled => Kind != LeaseStoreKind.None;

    public static bool TryParse(string? text, out LeaseStoreChoice choice)
    {
        choice = None;
        switch (text)
        {
            case null or "none":
                return true;
            case "kubernetes":
                choice = new LeaseStoreChoice(LeaseStoreKind.Kubernetes, null);
                return true;
        }

        if (text.StartsWith("file:", StringComparison.Ordinal) && text.Length > "file:".Length)
        {
            choice = new LeaseStoreChoice(LeaseStoreKind.File, text["file:".Length..]);
            return true;
        }

        return false;
    }

    public override string ToString() =>
        Kind switch
        {
            LeaseStoreKind.File => "file:" + Folder,
            LeaseStoreKind.Kubernetes => "kubernetes",
            _ => "none",
        };
}
