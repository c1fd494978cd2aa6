import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { GatewayException } from '../errors/gateway.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path parameter that must be a uuid: anything else is 400 naming the parameter. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!UUID.test(value)) {
      throw GatewayException.invalidInput([{ field: metadata.data ?? 'id', message: 'must be a uuid' }]);
    }
    return value.toLowerCase();
  }
}
