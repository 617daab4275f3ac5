import { Authorized, Ctx, Field, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { Role } from '../../core/roles.js';
import type { Viewer } from '../../core/viewer.js';
import type { HubContext } from '../../graphql/context.js';
import { CurrentViewer } from '../../graphql/current-viewer.js';
import { TodoKind, todosOf } from './todo.service.js';

registerEnumType(TodoKind, {
  name: 'TodoKind',
  description: '待办事项的种类',
  valuesConfig: {
    VISIT: { description: '派给本人的检查，待上门' },
    RETURNED: { description: '负责人退回修改的检查' },
    SUBMIT: { description: '结果已录齐，待提交' },
    FINALISE: { description: '已提交，待办结或退回' },
    REFERRAL_TO_ACCEPT: { description: '收到的问题线索移送，待接收' },
    REFERRAL_TO_CLOSE: { description: '已接收的移送，待办结' },
    CORRECTION: { description: '公示更正申请，待审核' },
    RECTIFICATION: { description: '责令改正期限已到，待复查' },
    PUBLICATION: { description: '已办结的检查，待公示结果' },
  },
});

@ObjectType({ description: '一项待办' })
class TodoItem {
  @Field(() => TodoKind, { description: '种类' })
  kind!: TodoKind;

  @Field(() => String, { description: '对象（企业名称等）' })
  title!: string;

  @Field(() => String, { description: '要做什么' })
  detail!: string;

  @Field(() => String, { nullable: true, description: '期限或约定日期（YYYY-MM-DD，中国时间）' })
  dueOn!: string | null;

  @Field(() => String, { description: '办理页面（客户端路径）' })
  path!: string;
}

@Resolver()
export class TodoResolver {
  @Authorized(Role.STAFF, Role.HEAD, Role.OFFICER)
  @Query(() => [TodoItem], { description: '当前用户的待办（按期限先后）；任何相关事件后重新读取即为最新' })
  todos(@CurrentViewer() viewer: Viewer, @Ctx() ctx: HubContext): Promise<TodoItem[]> {
    return todosOf(ctx.em, viewer);
  }
}
