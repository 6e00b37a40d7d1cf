// A typed walkthrough with openapi-fetch over the generated types (src/schema.d.ts).
// `npm run check` (make clients-check) compiles it with tsc --strict; it is not run in CI.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type FinalFeedback = components["schemas"]["FinalFeedback"];
type Difficulty = components["schemas"]["Difficulty"];

export async function walkthrough(baseUrl: string, email: string): Promise<FinalFeedback | null> {
  const api = createClient<paths>({ baseUrl });

  const registered = await api.POST("/api/auth/register", {
    body: { email, password: "correct horse" },
  });
  if (registered.error) throw new Error(registered.error.error.message);
  const headers = { Authorization: `Bearer ${registered.data.data.accessToken}` };

  const difficulty: Difficulty = "BEGINNER";
  const started = await api.POST("/api/training/roleplay/start", {
    headers,
    body: { scenarioId: "homeowner_objection", scenarioTitle: "The price is too high", difficulty },
  });
  if (started.error) throw new Error(started.error.error.code);
  const sessionId: string = started.data.data.sessionId;
  console.log(`${started.data.data.personaName}: ${started.data.data.openingLine}`);

  for (let i = 1; i <= 5; i++) {
    const sent = await api.POST("/api/training/roleplay/{session_id}/message", {
      headers,
      params: { path: { session_id: sessionId } },
      body: { message: `What would fixing this be worth to you? (${i})` },
    });
    if (sent.error) throw new Error(sent.error.error.code); // e.g. "session_ended"
    const result = sent.data.data;
    console.log(result.exchange, result.scoreAwarded, result.response);
    if (result.sessionEnded) console.log("xp", result.xpEarned ?? 0);
  }

  const detail = await api.GET("/api/training/roleplay/sessions/{session_id}", {
    headers,
    params: { path: { session_id: sessionId } },
  });
  if (detail.error) throw new Error(detail.error.error.message);
  const feedback: FinalFeedback | null = detail.data.data.feedback;
  return feedback;
}

export async function chatStateRoundTrip(baseUrl: string, apiKey?: string): Promise<number> {
  const api = createClient<paths>({
    baseUrl,
    headers: apiKey ? { "X-API-Key": apiKey } : {},
  });
  const saved = await api.POST("/chat-state-sessions", {
    body: { user_session_id: "widget-42", chat_state: JSON.stringify({ messages: [] }) },
  });
  if (saved.error) throw new Error(saved.error.error.code);
  const etag = saved.response.headers.get("ETag") ?? `"${saved.data.version}"`;

  const replaced = await api.PUT("/chat-state-sessions/{user_session_id}", {
    params: { path: { user_session_id: "widget-42" }, header: { "If-Match": etag } },
    body: { chat_state: JSON.stringify({ messages: ["hi"] }) },
  });
  if (replaced.response.status === 412) {
    // Someone wrote first: the answer names the current version.
    console.log("stale; current is", replaced.response.headers.get("ETag"));
  }
  const removed = await api.DELETE("/chat-state-sessions/{user_session_id}", {
    params: { path: { user_session_id: "widget-42" } },
  });
  return removed.response.status; // 204
}
