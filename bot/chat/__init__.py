"""The chat framework: WeChat protocol, pipeline, dispatcher, context, dedupe, rate limit, state, message log, simulator."""
