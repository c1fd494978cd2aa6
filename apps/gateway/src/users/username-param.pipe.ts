import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { GatewayException } from '../errors/gateway.exception';

const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;

/**
 * A username in a path: no account's name holds a control character or exceeds 64 characters, so such a
 * parameter is 400 naming it (a NUL byte would otherwise reach the database, which refuses it); anything
 * else is looked up (unknown: 404).
 */
@Injectable()
export class UsernameParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'username';
    if (CONTROL.test(value)) throw GatewayException.invalidInput([{ field, message: 'must not contain control characters' }]);
    if (value.length > 64) throw GatewayException.invalidInput([{ field, message: 'must be at most 64 characters' }]);
    return value;
  }
}
