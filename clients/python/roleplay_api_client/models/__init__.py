"""Contains all the data models used in inputs/outputs"""

from .access_token import AccessToken
from .access_token_response import AccessTokenResponse
from .auth_result import AuthResult
from .auth_result_response import AuthResultResponse
from .chat_state import ChatState
from .chat_state_merge_patch import ChatStateMergePatch
from .chat_state_record import ChatStateRecord
from .chat_state_replace import ChatStateReplace
from .chat_state_restore import ChatStateRestore
from .chat_state_upsert import ChatStateUpsert
from .chat_state_version import ChatStateVersion
from .chat_state_versions import ChatStateVersions
from .difficulty import Difficulty
from .error import Error
from .error_detail import ErrorDetail
from .error_detail_details import ErrorDetailDetails
from .final_feedback import FinalFeedback
from .group_stats import GroupStats
from .history_message import HistoryMessage
from .history_message_role import HistoryMessageRole
from .list_roleplay_sessions_status import ListRoleplaySessionsStatus
from .login import Login
from .message import Message
from .message_in import MessageIn
from .message_response import MessageResponse
from .message_result import MessageResult
from .message_result_response import MessageResultResponse
from .persona import Persona
from .register import Register
from .scenario import Scenario
from .scenario_list import ScenarioList
from .scenario_list_response import ScenarioListResponse
from .scenario_stats import ScenarioStats
from .session_detail import SessionDetail
from .session_detail_response import SessionDetailResponse
from .session_list import SessionList
from .session_list_response import SessionListResponse
from .session_summary import SessionSummary
from .start_session import StartSession
from .started_session import StartedSession
from .started_session_response import StartedSessionResponse
from .stats import Stats
from .stats_by_difficulty import StatsByDifficulty
from .stats_by_scenario import StatsByScenario
from .stats_response import StatsResponse
from .status import Status
from .user import User
from .user_response import UserResponse

__all__ = (
    "AccessToken",
    "AccessTokenResponse",
    "AuthResult",
    "AuthResultResponse",
    "ChatState",
    "ChatStateMergePatch",
    "ChatStateRecord",
    "ChatStateReplace",
    "ChatStateRestore",
    "ChatStateUpsert",
    "ChatStateVersion",
    "ChatStateVersions",
    "Difficulty",
    "Error",
    "ErrorDetail",
    "ErrorDetailDetails",
    "FinalFeedback",
    "GroupStats",
    "HistoryMessage",
    "HistoryMessageRole",
    "ListRoleplaySessionsStatus",
    "Login",
    "Message",
    "MessageIn",
    "MessageResponse",
    "MessageResult",
    "MessageResultResponse",
    "Persona",
    "Register",
    "Scenario",
    "ScenarioList",
    "ScenarioListResponse",
    "ScenarioStats",
    "SessionDetail",
    "SessionDetailResponse",
    "SessionList",
    "SessionListResponse",
    "SessionSummary",
    "StartedSession",
    "StartedSessionResponse",
    "StartSession",
    "Stats",
    "StatsByDifficulty",
    "StatsByScenario",
    "StatsResponse",
    "Status",
    "User",
    "UserResponse",
)
