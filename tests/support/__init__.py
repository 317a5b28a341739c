"""What the tests share: WeChat's side of the protocol, stand-ins, tickets, ports, helpers."""
