import { MalformedMessageError } from './message';
import { decodeMessage, encodeMessage } from './message-codec';

/** A stand-in for a generated protobuf type: a length-prefixed UTF-8 string. */
const Greeting = {
  encode(message: { text: string }): { finish(): Uint8Array } {
    const bytes = Buffer.from(message.text, 'utf8');
    return { finish: () => Uint8Array.from([bytes.length, ...bytes]) };
  },
  decode(input: Uint8Array): { text: string } {
    if (input.length === 0 || input[0] !== input.length - 1) throw new Error('invalid wire length');
    return { text: Buffer.from(input.subarray(1)).toString('utf8') };
  },
};

const incoming = (value: Uint8Array) => ({
  topic: 'verihub.test.greetings.v1',
  key: 'v-1',
  value: Buffer.from(value),
  headers: {},
});

describe('decodeMessage / encodeMessage', () => {
  it('round-trips a value through its codec', () => {
    const bytes = encodeMessage(Greeting, { text: 'hello' });
    expect(decodeMessage(incoming(bytes), Greeting)).toEqual({ text: 'hello' });
  });

  it('turns undecodable bytes into MalformedMessageError naming the topic and the reason', () => {
    const attempt = () => decodeMessage(incoming(Uint8Array.of(9, 1)), Greeting);
    expect(attempt).toThrow(MalformedMessageError);
    expect(attempt).toThrow('cannot decode verihub.test.greetings.v1: invalid wire length');
  });
});
